// IPC channel names (shared by main and preload).
export const API_CHANNEL = 'simcvd:api';
