export function isLoopback(host: string): boolean;
export function exposureNotice(host: string): string[];
