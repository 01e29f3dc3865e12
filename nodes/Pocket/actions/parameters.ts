/** How the operations read the node's parameters, whatever they do with them. */

/** Whether a parameter's value (or any value inside it) is an expression, evaluated per item. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

/** A number option as given, or the fallback when it is missing, negative or not a number. */
export const nonNegative = (value: unknown, fallback: number): number =>
	typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
