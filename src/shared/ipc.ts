// IPC channel names (shared by main and preload).
export const API_CHANNEL = 'simcvd:api';
/** Main → renderer: API events ({ event, payload }). */
export const EVENT_CHANNEL = 'simcvd:event';
