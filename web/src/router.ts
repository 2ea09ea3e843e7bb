import { useSyncExternalStore } from "react";

// A few pages do not need a routing library: the History API and one event.
const NAVIGATED = "shoebox:navigated";

export function navigate(path: string): void {
  if (path !== window.location.pathname) {
    window.history.pushState(null, "", path);
    window.dispatchEvent(new Event(NAVIGATED));
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** Every page of the app, with the parameters its path carries. */
export type Route =
  | { page: "sign-in" }
  | { page: "sign-up" }
  | { page: "forgot-password" }
  | { page: "reset-password" }
  | { page: "verify-email" }
  | { page: "invitation" }
  | { page: "gallery" }
  | { page: "upload" }
  | { page: "photo"; photoId: string }
  | { page: "albums" }
  | { page: "album"; albumId: string }
  | { page: "album-photo"; albumId: string; photoId: string }
  | { page: "shared"; token: string }
  | { page: "shared-photo"; token: string; photoId: string }
  | { page: "profile" }
  | { page: "settings" }
  | { page: "admin-members" }
  | { page: "admin-jobs" }
  | { page: "admin-backups" }
  | { page: "admin-audit" }
  | { page: "not-found" };

const FIXED: Record<string, Route> = {
  "/": { page: "gallery" },
  "/sign-in": { page: "sign-in" },
  "/sign-up": { page: "sign-up" },
  "/forgot-password": { page: "forgot-password" },
  "/reset-password": { page: "reset-password" },
  "/verify-email": { page: "verify-email" },
  "/invitation": { page: "invitation" },
  "/upload": { page: "upload" },
  "/albums": { page: "albums" },
  "/profile": { page: "profile" },
  "/settings": { page: "settings" },
  "/admin": { page: "admin-members" },
  "/admin/members": { page: "admin-members" },
  "/admin/jobs": { page: "admin-jobs" },
  "/admin/backups": { page: "admin-backups" },
  "/admin/audit": { page: "admin-audit" },
};

/** The route a location path names; unknown paths are `not-found`. */
export function matchRoute(path: string): Route {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const fixed = FIXED[trimmed];
  if (fixed) {
    return fixed;
  }
  const parts = trimmed.split("/").slice(1).map(decodeSegment);
  if (parts.some((part) => part === null || part === "")) {
    return { page: "not-found" };
  }
  const [first, second, third, fourth, ...rest] = parts as string[];
  if (rest.length > 0) {
    return { page: "not-found" };
  }
  if (first === "photos" && second && !third) {
    return { page: "photo", photoId: second };
  }
  if (first === "albums" && second && !third) {
    return { page: "album", albumId: second };
  }
  if (first === "albums" && second && third === "photos" && fourth) {
    return { page: "album-photo", albumId: second, photoId: fourth };
  }
  if (first === "shared" && second && !third) {
    return { page: "shared", token: second };
  }
  if (first === "shared" && second && third === "photos" && fourth) {
    return { page: "shared-photo", token: second, photoId: fourth };
  }
  return { page: "not-found" };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Whether a visitor without an account may see the route. */
export function isPublic(route: Route): boolean {
  return (
    route.page === "sign-in" ||
    route.page === "sign-up" ||
    route.page === "forgot-password" ||
    route.page === "reset-password" ||
    route.page === "invitation" ||
    route.page === "shared" ||
    route.page === "shared-photo"
  );
}
