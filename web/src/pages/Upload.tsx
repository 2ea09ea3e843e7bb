import { useRef, useState, type DragEvent } from "react";
import { uploadPhoto } from "../api/upload";
import { describeError } from "../components/ErrorMessage";

type State = "uploading" | "done" | "failed" | "cancelled";

interface Item {
  id: number;
  name: string;
  progress: number;
  state: State;
  error?: string;
  cancel: () => void;
}

let nextId = 0;

/** Drag and drop or pick several photos; each uploads on its own with a progress bar. */
export function Upload() {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const update = (id: number, change: Partial<Item>) => {
    setItems((previous) => previous.map((item) => (item.id === id ? { ...item, ...change } : item)));
  };

  const start = (files: Iterable<File>) => {
    const started = Array.from(files, (file) => {
      const id = nextId++;
      const handle = uploadPhoto(file, (progress) => {
        update(id, { progress });
      });
      handle.done.then(
        () => {
          update(id, { state: "done", progress: 1 });
        },
        (error: unknown) => {
          if (error instanceof DOMException && error.name === "AbortError") {
            update(id, { state: "cancelled" });
          } else {
            update(id, { state: "failed", error: describeError(error) });
          }
        },
      );
      return { id, name: file.name, progress: 0, state: "uploading" as const, cancel: handle.cancel };
    });
    setItems((previous) => [...started, ...previous]);
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    start(event.dataTransfer.files);
  };

  return (
    <section>
      <h1>Upload photos</h1>
      <div
        className={dragging ? "dropzone dragging" : "dropzone"}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => {
          setDragging(false);
        }}
        onDrop={drop}
      >
        <p>Drop JPEG, PNG, WebP or GIF files here, or</p>
        <label className="button">
          Choose photos
          <input
            ref={input}
            className="visually-hidden"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif"
            multiple
            onChange={(event) => {
              if (event.target.files) {
                start(event.target.files);
              }
              event.target.value = "";
            }}
          />
        </label>
      </div>
      {items.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {items.map((item) => (
            <li key={item.id} data-state={item.state}>
              <span className="name">{item.name}</span>
              <progress max={1} value={item.progress} aria-label={`Upload of ${item.name}`} />
              <span className="state">
                {item.state === "uploading" && `${Math.round(item.progress * 100)}%`}
                {item.state === "done" && "Uploaded"}
                {item.state === "cancelled" && "Cancelled"}
                {item.state === "failed" && <span role="alert">{item.error}</span>}
              </span>
              {item.state === "uploading" && (
                <button type="button" onClick={item.cancel} aria-label={`Cancel ${item.name}`}>
                  Cancel
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {items.some((item) => item.state !== "uploading") && (
        <button
          type="button"
          onClick={() => {
            setItems((previous) => previous.filter((item) => item.state === "uploading"));
          }}
        >
          Clear finished
        </button>
      )}
    </section>
  );
}
