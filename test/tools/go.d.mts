/** The Go binary to run, or undefined when none is installed (see go.mjs). */
export function findGo(): string | undefined;
