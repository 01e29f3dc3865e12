import type { Result } from '../result';
import { failure } from '../result';
import type { Failure } from './failures';
import type { Answered, Clock, Exchange } from './request';
import { exchangeOnce } from './request';
import { SERVER_NUMBER } from './response';

/**
 * When a failed exchange is tried again, in the spirit of ky's RetryOptions: the failure
 * policy (failures.ts) says which failures invite a retry; these settings bound how long and
 * how often.
 */
export interface RetrySettings {
	/** Longest the node may wait, in total, for rate limits, maintenance or a refused connection. */
	maxWaitSeconds: number;
	/** Resend after a timeout or dropped connection, when the server may already have applied the call. */
	resendWhenUncertain: boolean;
	/**
	 * The request changes nothing on the server (a read): after a timeout, a dropped connection
	 * or an HTTP 5xx it is tried again after a backoff too, within the same bounds.
	 */
	safeToRepeat?: boolean;
}

/** Bounds the number of attempts whatever the waits are, so a flapping server cannot loop us. */
export const MAX_ATTEMPTS = 5;

/** A moment as an ISO date, or words when it lies beyond what a date can hold (a Retry-After of 1e13). */
function describeMoment(ms: number): string {
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? 'a time too far ahead to show' : date.toISOString();
}

/** Backoff for refusals that announce no wait: 1 s, 2 s, 4 s, … */
const backoffSeconds = (attempt: number) => 2 ** (attempt - 1);

/** A resend the user accepted although the server may have applied the first try. */
function resendAllowed(failed: Failure, settings: RetrySettings): boolean {
	return failed.kind === 'network' && failed.applied === 'unknown' && settings.resendWhenUncertain;
}

/** A failure the server may have seen, tried again only because repeating the request is harmless. */
function repeatable(failed: Failure, settings: RetrySettings): boolean {
	if (settings.safeToRepeat !== true || failed.applied !== 'unknown') return false;
	return failed.kind === 'network' || (failed.kind === 'http' && Number(failed.httpCode) >= 500);
}

/**
 * Runs `attempt` until it succeeds or may not be repeated: refusals (nothing applied) are
 * retried after the announced wait or a backoff, within `maxWaitSeconds` in total; uncertain
 * network failures are resent at once only when the user allowed it, and retried after a
 * backoff, like 5xx answers, when the request is safe to repeat; never more than MAX_ATTEMPTS
 * attempts.
 */
export async function withRetries<T>(
	attempt: () => Promise<Result<T, Failure>>,
	{ settings, clock }: { settings: RetrySettings; clock: Clock },
): Promise<Result<T, Failure>> {
	let waited = 0;
	for (let count = 1; ; count++) {
		const result = await attempt();
		if (result.ok) return result;
		const failed = result.failure;
		const outOfAttempts = count >= MAX_ATTEMPTS;
		if (resendAllowed(failed, settings)) {
			if (outOfAttempts) return result;
			continue;
		}
		const retry = failed.retry ?? (repeatable(failed, settings) ? { waitSeconds: undefined } : undefined);
		if (retry === undefined) return result;
		// A wait that is not a duration (response.ts drops those already) must not undo earlier waits.
		const announced = retry.waitSeconds;
		const seconds = announced !== undefined && SERVER_NUMBER.seconds(announced) ? announced : backoffSeconds(count);
		if (outOfAttempts || waited + seconds > settings.maxWaitSeconds) {
			const retryAt = describeMoment(clock.now() + seconds * 1000);
			const why = outOfAttempts
				? `Gave up after ${count} attempts.`
				: `Gave up after ${count} attempt(s) and ${Math.round(waited)} s of waiting: the next try would be at ${retryAt} (in ${Math.ceil(seconds)} s), beyond Max Wait (${settings.maxWaitSeconds} s).`;
			return failure({ ...failed, description: `${failed.description} ${why}` });
		}
		waited += seconds;
		await clock.sleep(seconds * 1000);
	}
}

/** One exchange of any endpoint, tried again as its failure and these settings allow. */
export async function exchangeWithRetries<T>(exchange: Exchange<T>, settings: RetrySettings): Promise<Result<Answered<T>, Failure>> {
	return await withRetries(async () => await exchangeOnce(exchange), { settings, clock: exchange.clock });
}
