import "server-only";
import { sqlite } from "@/lib/db";
import { audienceOverview as overview, audienceTrend as trend } from "./overview";

/* What the overview page reads, on the process's shared connection (overview.ts takes a connection). */

export const audienceOverview = () => overview(sqlite());
export const audienceTrend = (from: string, to: string) => trend(sqlite(), from, to);
