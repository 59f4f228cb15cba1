// What the dashboard got of the events the room made, for bench:class (cli.ts). The dashboard page
// counts every event message it receives, repeats included (eventCount), and with recording on
// keeps the distinct ids it received (received): the room's events are on the dashboard when every
// made id is among those, whatever the count of messages says.

export interface Deliveries {
  /** Made events the dashboard never received. */
  lost: number;
  /** Events stored more than once (rows beyond the distinct ids). */
  duplicated: number;
  /** Event messages the dashboard received again for an id it had (the feed's repeats, say after a reconnect). */
  repeated: number;
}

/** True when the dashboard received every made event. */
export function dashboardHasAll(made: readonly { id: string }[], received: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
  return made.every((event) => received.has(event.id));
}

export function deliveries(
  made: readonly { id: string }[],
  received: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  /** Event messages the dashboard received, repeats included. */
  eventMessages: number,
  stored: { rows: number; ids: number },
): Deliveries {
  return {
    lost: made.filter((event) => !received.has(event.id)).length,
    duplicated: stored.rows - stored.ids,
    repeated: eventMessages - received.size,
  };
}
