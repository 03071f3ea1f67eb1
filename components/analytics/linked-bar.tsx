"use client";

import { useRouter } from "next/navigation";
import type { BarShapeProps } from "recharts";

/**
 * A bar that is a link to the people it counts: keyboard-focusable, named (for screen readers and
 * tests) by `label`, and opening `href` with client-side navigation.
 */
function LinkedRect({
  x,
  y,
  width,
  height,
  fill,
  href,
  label,
}: {
  x: number;
  y: number;
  width: number;
  height: number;
  fill?: string;
  href?: string;
  label: string;
}) {
  const router = useRouter();
  const rect = (
    <rect
      x={x}
      y={y}
      width={Math.max(0, width)}
      height={Math.max(0, height)}
      fill={fill}
      className={href ? "cursor-pointer hover:opacity-80" : undefined}
    />
  );
  // A zero-sized bar (a count of 0) is not drawn as a link: nothing to click, and the table lists it.
  if (!href || width <= 0 || height <= 0) return rect;
  return (
    <a
      href={href}
      aria-label={label}
      onClick={(event) => {
        event.preventDefault();
        router.push(href);
      }}
    >
      <title>{label}</title>
      {rect}
    </a>
  );
}

/** A recharts `shape` that draws each bar as a link (see LinkedRect). */
export function linkedShape<T>(hrefOf: (row: T) => string | undefined, labelOf: (row: T) => string) {
  function shape(props: BarShapeProps) {
    const row = props.payload as T;
    return (
      <LinkedRect
        x={Number(props.x ?? 0)}
        y={Number(props.y ?? 0)}
        width={Number(props.width ?? 0)}
        height={Number(props.height ?? 0)}
        fill={props.fill}
        href={hrefOf(row)}
        label={labelOf(row)}
      />
    );
  }
  return shape;
}
