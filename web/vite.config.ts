/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Rust server `cargo xtask dev` runs, and its public URL's origin; the
// xtask passes both in.
const apiTarget = process.env.SHOEBOX_API_URL ?? "http://127.0.0.1:8080";
const publicOrigin = process.env.SHOEBOX_PUBLIC_ORIGIN ?? "http://localhost:8080";

// Everything the Rust server answers itself; the rest is the single-page app.
const serverPaths = ["/api", "/healthz", "/readyz", "/version", "/metrics", "/docs", "/redoc"];

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    // Never inline assets as data: URLs into scripts; the CSP allows data:
    // only for images, and separate files cache better.
    assetsInlineLimit: 0,
    // The modulepreload polyfill would be the only reason for inline code;
    // every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    host: "127.0.0.1",
    strictPort: true,
    proxy: Object.fromEntries(
      serverPaths.map((path) => [
        path,
        {
          target: apiTarget,
          // The server accepts sign-in only from its public origin (login
          // CSRF); in development the proxy is the browser's origin and
          // speaks for it.
          configure: (proxy) => {
            proxy.on("proxyReq", (request) => {
              if (request.getHeader("origin") !== undefined) {
                request.setHeader("origin", publicOrigin);
              }
            });
          },
        },
      ]),
    ),
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
  },
});
