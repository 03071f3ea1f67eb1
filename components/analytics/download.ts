import { BOM, csvRow } from "@/lib/csv/write";

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadCsv(filename: string, header: string[], rows: unknown[][]): void {
  const text = BOM + csvRow(header) + rows.map(csvRow).join("");
  save(new Blob([text], { type: "text/csv;charset=utf-8" }), filename);
}

/** Inlines the computed styles SVG rendering needs, since the image is drawn without the page's CSS. */
function inlineStyles(source: Element, target: Element): void {
  const style = getComputedStyle(source);
  const keep = ["fill", "stroke", "stroke-width", "font-size", "font-family", "font-weight", "opacity"];
  (target as SVGElement).setAttribute(
    "style",
    keep.map((k) => `${k}:${style.getPropertyValue(k)}`).join(";"),
  );
  for (let i = 0; i < source.children.length; i++) inlineStyles(source.children[i]!, target.children[i]!);
}

/**
 * Draws the chart's SVG (with its title and legend above it) onto a canvas at twice its size and saves it as PNG.
 * Pure browser APIs: the charts are SVG, so no screenshot library is needed.
 */
export async function downloadPng(
  svg: SVGSVGElement,
  title: string,
  filename: string,
  legend: { label: string; color: string }[] = [],
): Promise<void> {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  const data = new XMLSerializer().serializeToString(clone);
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error("the chart could not be drawn"));
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}`;
  await loaded;
  const scale = 2;
  const titleHeight = legend.length ? 64 : 40;
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil((height + titleHeight) * scale);
  const context = canvas.getContext("2d")!;
  context.scale(scale, scale);
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height + titleHeight);
  context.fillStyle = "#0f172a";
  context.font = "600 15px system-ui, sans-serif";
  context.fillText(title, 12, 26);
  // The charts' legends are HTML beside the SVG, so they are drawn here.
  context.font = "13px system-ui, sans-serif";
  let x = 12;
  for (const item of legend) {
    context.fillStyle = item.color;
    context.fillRect(x, 42, 12, 12);
    context.fillStyle = "#334155";
    context.fillText(item.label, x + 18, 53);
    x += 18 + context.measureText(item.label).width + 20;
  }
  context.drawImage(image, 0, titleHeight, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("the browser could not encode the image");
  save(blob, filename);
}
