/**
 * Where to go after signing in: a path on this site, or "/". The check is on the URL a browser would
 * resolve, so "/\evil.example" (a browser reads the backslash as a slash) or a path with a tab in it
 * cannot become a link to another site.
 */
export function safeRedirect(target: FormDataEntryValue | null): string {
  if (typeof target !== "string" || !target.startsWith("/") || /[\\\s]/.test(target)) return "/";
  let url: URL;
  try {
    url = new URL(target, "http://unionview.invalid");
  } catch {
    return "/";
  }
  if (url.origin !== "http://unionview.invalid") return "/";
  const path = url.pathname + url.search;
  return path.startsWith("//") ||
    path === "/login" ||
    path.startsWith("/login?") ||
    path.startsWith("/login/")
    ? "/"
    : path;
}
