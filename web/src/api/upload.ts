import { csrfHeaders } from "./client";
import { ApiError, toProblem } from "./problem";

export interface UploadHandle {
  /** Settles with the server's answer, or rejects with an ApiError (or AbortError). */
  done: Promise<unknown>;
  cancel: () => void;
}

/**
 * Uploads one file as `multipart/form-data` field `file`. fetch() cannot
 * report upload progress, XMLHttpRequest can; that is the only reason this
 * does not go through the typed client.
 */
export function uploadPhoto(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const request = new XMLHttpRequest();
  const done = new Promise<unknown>((resolve, reject) => {
    request.open("POST", "/api/v1/photos");
    request.withCredentials = true;
    request.responseType = "text";
    for (const [name, value] of Object.entries(csrfHeaders("POST"))) {
      request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress(event.loaded / event.total);
      }
    };
    request.onload = () => {
      let body: unknown = request.responseText;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON: keep the text, toProblem copes.
      }
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(body);
      } else {
        reject(new ApiError(request.status, toProblem(request.status, body)));
      }
    };
    request.onerror = () => {
      reject(new Error("network error"));
    };
    request.onabort = () => {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    };
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
  return {
    done,
    cancel: () => {
      request.abort();
    },
  };
}
