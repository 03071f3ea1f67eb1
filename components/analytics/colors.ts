/** One palette for every overview chart (Tailwind's emerald, sky, amber, slate). */
export const COLORS = {
  exclusive: "#059669",
  shared: "#0ea5e9",
  unique: "#059669",
  duplicated: "#f59e0b",
  summed: "#64748b",
  histogram: "#0ea5e9",
} as const;
