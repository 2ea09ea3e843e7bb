import { describeUserAgent, formatBytes } from "./format";

describe("formatBytes", () => {
  it("reads like a file manager", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(999)).toBe("999 bytes");
    expect(formatBytes(1200)).toBe("1.2 KB");
    expect(formatBytes(5_000_000_000)).toBe("5 GB");
    expect(formatBytes(1_234_567_890)).toBe("1.2 GB");
    expect(formatBytes(123_456_789)).toBe("123 MB");
  });
});

describe("describeUserAgent", () => {
  it("names the browser and the system", () => {
    expect(
      describeUserAgent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    ).toBe("Firefox on Linux");
    expect(
      describeUserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("Safari on iOS");
    expect(describeUserAgent("curl/8.5.0")).toBe("curl");
    expect(describeUserAgent(null)).toBe("Unknown device");
  });
});
