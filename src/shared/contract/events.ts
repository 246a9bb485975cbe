// API contract, events (shared): what the back end pushes to clients without being asked
// (WebSocket /api/events in server mode). Names are past tense; payloads are plain JSON.
export interface ApiEvents {
  /** Import advanced by one item; `done === total` when finished. */
  importProgressed: { done: number; total: number; item: string };
  /** A label version was written (by this or another client). */
  labelSaved: { studyId: string; versionId: string };
}

export type ApiEventName = keyof ApiEvents;

export interface ApiEventMessage<E extends ApiEventName = ApiEventName> {
  event: E;
  payload: ApiEvents[E];
}

export type EmitEvent = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;
