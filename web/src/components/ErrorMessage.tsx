import { ApiError } from "../api/problem";

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  return "Something went wrong. Check your connection and try again.";
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) {
    return null;
  }
  return (
    <p role="alert" className="error">
      {describeError(error)}
    </p>
  );
}
