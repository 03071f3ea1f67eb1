import { SimInputError } from "./errors";
import type { FaultSpec } from "./faults";
import type { PushRequest, VerifyRequest } from "./push";
import type { ChurnRequest, ConfigPatch, FollowRequest, Simulator, UnfollowRequest } from "./simulator";

type AdminHandler = (sim: Simulator, query: URLSearchParams, body: unknown) => unknown;

function objectBody<T>(body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new SimInputError("expected a JSON object");
  }
  return body as T;
}

function clock(sim: Simulator) {
  return { now: sim.clock.now(), offsetSeconds: sim.clock.offsetSeconds };
}

function optionalInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new SimInputError(`${name} must be a whole number`);
  return value;
}

/** The simulator's own API under /__sim/ (never under /cgi-bin). JSON in and out. */
export const adminRoutes: Readonly<Record<string, AdminHandler>> = {
  "GET /__sim/health": () => ({ ok: true }),
  "GET /__sim/accounts": (sim) => sim.accounts(),
  "GET /__sim/truth": (sim) => sim.truth(),
  "POST /__sim/follow": (sim, _q, body) => sim.follow(objectBody<FollowRequest>(body)),
  "POST /__sim/unfollow": (sim, _q, body) => sim.unfollow(objectBody<UnfollowRequest>(body)),
  "POST /__sim/churn": (sim, _q, body) => ({ accounts: sim.churn(objectBody<ChurnRequest>(body)) }),
  "GET /__sim/faults": (sim) => sim.faults.list(),
  "POST /__sim/faults": (sim, _q, body) => {
    const specs = Array.isArray(body) ? (body as FaultSpec[]) : [objectBody<FaultSpec>(body)];
    const ids = specs.map((spec) => sim.addFault(spec));
    return Array.isArray(body) ? { ids } : { id: ids[0] };
  },
  "DELETE /__sim/faults": (sim) => {
    sim.faults.clear();
    return { ok: true };
  },
  "GET /__sim/clock": (sim) => clock(sim),
  "POST /__sim/clock": (sim, _q, body) => {
    sim.advanceClock(objectBody<{ advanceSeconds: number }>(body).advanceSeconds);
    return clock(sim);
  },
  "GET /__sim/config": (sim) => sim.config,
  "POST /__sim/config": (sim, _q, body) => sim.configure(objectBody<ConfigPatch>(body)),
  "GET /__sim/stats": (sim) => sim.stats.snapshot(),
  "DELETE /__sim/stats": (sim) => {
    sim.stats.reset();
    return { ok: true };
  },
  "GET /__sim/followers": (sim, query) => {
    const subscribed = query.get("subscribed");
    return sim.followers(query.get("appid") ?? "", {
      subscribed: subscribed === null ? undefined : subscribed === "1" || subscribed === "true",
      offset: optionalInt(query, "offset"),
      limit: optionalInt(query, "limit"),
    });
  },
  "GET /__sim/person": (sim, query) => {
    const person = sim.findPerson(query.get("id") ?? "");
    if (!person) throw new SimInputError("no person has that openid or unionid");
    return person;
  },
  "POST /__sim/push": (sim, _q, body) => sim.push(objectBody<PushRequest>(body)),
  "POST /__sim/verify": (sim, _q, body) => sim.verifyUrl(objectBody<VerifyRequest>(body)),
};

export const adminPaths = new Set(Object.keys(adminRoutes).map((key) => key.split(" ")[1]));
