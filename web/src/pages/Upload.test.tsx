import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { setCsrfToken } from "../api/client";
import { Upload } from "./Upload";

/** Just enough of XMLHttpRequest for the page; the test plays the server. */
class FakeXhr {
  static all: FakeXhr[] = [];
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = "";
  responseType = "";
  withCredentials = false;
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.all.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

function file(name: string) {
  return new File(["bytes"], name, { type: "image/jpeg" });
}

describe("Upload", () => {
  beforeEach(() => {
    FakeXhr.all = [];
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    setCsrfToken("csrf-1");
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it("uploads each picked file on its own, with progress, cancel and clear errors", async () => {
    const user = userEvent.setup();
    render(<Upload />);
    await user.upload(screen.getByLabelText("Choose photos"), [file("one.jpg"), file("two.jpg"), file("three.jpg")]);

    expect(FakeXhr.all).toHaveLength(3);
    const [one, two, three] = FakeXhr.all;
    if (!one || !two || !three) throw new Error("three uploads");
    expect(one.method).toBe("POST");
    expect(one.url).toBe("/api/v1/photos");
    expect(one.headers["X-CSRF-Token"]).toBe("csrf-1");
    expect(one.withCredentials).toBe(true);
    expect((one.body?.get("file") as File).name).toBe("one.jpg");

    act(() => {
      one.progress(50, 100);
    });
    expect(screen.getByRole("progressbar", { name: "Upload of one.jpg" })).toHaveAttribute("value", "0.5");
    expect(screen.getByText("50%")).toBeInTheDocument();

    act(() => {
      one.respond(201, [{ outcome: "created" }]);
      three.respond(415, {
        type: "https://shoebox.dev/problems/unsupported-media-type",
        title: "Unsupported media type",
        status: 415,
        detail: "three.jpg is not a JPEG, PNG, WebP or GIF image.",
      });
    });
    await user.click(screen.getByRole("button", { name: "Cancel two.jpg" }));

    const rows = within(screen.getByRole("list", { name: "Uploads" })).getAllByRole("listitem");
    const state = (name: string) => rows.find((row) => row.textContent.includes(name));
    expect(state("one.jpg")).toHaveTextContent("Uploaded");
    expect(state("two.jpg")).toHaveTextContent("Cancelled");
    expect(within(state("three.jpg") as HTMLElement).getByRole("alert")).toHaveTextContent(
      "three.jpg is not a JPEG, PNG, WebP or GIF image.",
    );

    await user.click(screen.getByRole("button", { name: "Clear finished" }));
    expect(screen.queryByRole("list", { name: "Uploads" })).toBeNull();
  });
});
