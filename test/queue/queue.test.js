// @ts-check
'use strict';
/**
 * The package on n8n's queue mode: a main `n8n start` and two `n8n worker` processes sharing
 * PostgreSQL and Redis (scripts/runtime/queue-cluster.js), the package installed on each process
 * the way n8n installs a community package, driven through the authenticated webhook example under
 * concurrent load, signing in with a token that expires during the load; then one worker killed
 * mid-load; then the same load on one regular n8n (SQLite) for comparison. `npm run test:queue`
 * (also run by .ci/run).
 *
 * Time budget (2-core CI machine, ~10 minutes cold, n8n already in the cache from `npm test`):
 * apt-get install of PostgreSQL and Redis when missing ~1 min; build, pack and four installs of
 * the package ~0.5 min; the cluster's start ~1-1.5 min; three loads of 500 requests at 3-10
 * requests a second (1-3 min each) with the execution records read back; the single n8n's start
 * ~1 min. Every wait is bounded: the timeouts below, the per-request timeout, and the paging
 * bound of listExecutions.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { NODE_TYPE, REPO_DIR } = require('../../scripts/runtime/config');
const { loadExample } = require('../../scripts/runtime/examples');
const { nodeOutput } = require('../../scripts/runtime/executions');
const { installPackage, packPackage, prepare } = require('../../scripts/runtime/install');
const { startN8n, startPocketServer } = require('../../scripts/runtime/process');
const { startQueueCluster } = require('../../scripts/runtime/queue-cluster');
const { cpuSeconds, loadFigures, mapLimit, runLoad } = require('../../scripts/runtime/load');
const { executionsByWorker, followWorker, readLog } = require('../../scripts/runtime/worker-logs');
const { N8nClient } = require('../../scripts/runtime/rest-client');

/**
 * @typedef {import('../server/pocket-server').PocketServer} PocketServer
 * @typedef {import('../../scripts/runtime/queue-cluster').QueueCluster} QueueCluster
 * @typedef {import('../../scripts/runtime/load').Load} Load
 * @typedef {import('../../scripts/runtime/process').N8nInstance} N8nInstance
 * @typedef {import('../../scripts/runtime/rest-client').CredentialRef} CredentialRef
 * @typedef {import('../../scripts/runtime/rest-client').WorkflowJson} WorkflowJson
 * @typedef {import('../../scripts/runtime/rest-client').ExecutionSummary} ExecutionSummary
 * @typedef {{ pocket: CredentialRef, signIn: CredentialRef, header: CredentialRef }} Credentials
 */

/** 500 in CI; smaller while developing (POCKET_QUEUE_REQUESTS=50). */
const REQUESTS = Number(process.env.POCKET_QUEUE_REQUESTS || 500);
const CONCURRENCY = 50;
/** Well past the ~10-20 s n8n takes to notice a killed worker's jobs (see queueEnv in scripts/runtime/queue-cluster.js). */
const REQUEST_TIMEOUT_MS = 90 * 1000;
/**
 * Short enough to expire several times during a load, long enough to outlast a saturated
 * n8n's delay between signing in and sending: with 5 s tokens, one busy regular n8n (50
 * executions at once on 2 cores) sent some fresh tokens after they had expired (401).
 */
const TOKEN_LIFETIME_SECONDS = 15;
/**
 * When the worker is killed: once this share of the requests was answered and it is running at
 * least KILL_RUNNING executions (the main can be the bottleneck, leaving a worker idle at
 * times), or at the latest once KILL_LATEST was answered.
 */
const KILL_AFTER = 0.4;
const KILL_RUNNING = 2;
const KILL_LATEST = 0.8;
/** Executions in flight at once: two workers at n8n's default concurrency of 10. */
const IN_FLIGHT = 2 * 10;

const SETUP_TIMEOUT_MS = 25 * 60 * 1000; // a cold cache also installs n8n (~6 min) and the databases
const LOAD_TIMEOUT_MS = 8 * 60 * 1000; // a load, its checks and (last test) the single n8n's start
jest.setTimeout(LOAD_TIMEOUT_MS);

const CONSUMER_KEY = 'queue-consumer-key';
const ACCESS_TOKEN = 'queue-access-token';
const ACCOUNT = { email: 'queue@pocket.test', password: 'queue-SECRET-password' };
const WEBHOOK_HEADER = 'X-Webhook-Key';
const WEBHOOK_KEY = crypto.randomBytes(16).toString('hex');
const EXAMPLE = path.join(REPO_DIR, 'examples', 'webhook.json');

/** @type {PocketServer} */
let pocket;
/** @type {QueueCluster | undefined} */
let cluster;
/** @type {N8nInstance | undefined} */
let single;
/** @type {string} */
let dir;
/** @type {string} */
let tarball;
/** @type {{ nodeBin: string, n8nFolder: string }} */
let runtime;
/** The figures of each load, printed together at the end. */
/** @type {Record<string, ReturnType<typeof loadFigures> & Record<string, unknown>>} */
const figures = {};

const started = Date.now();
/** @param {string} what */
const mark = (what) => console.log(`[queue +${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);

/**
 * The webhook example as the load's workflow, served at /webhook/<path>, its Pocket and Header
 * Auth credentials pointed at the given ones.
 * @param {Credentials} credentials
 * @param {CredentialRef} pocketCredential
 * @param {string} webhookPath
 */
function webhookWorkflow(credentials, pocketCredential, webhookPath) {
	const wf = loadExample(EXAMPLE, pocketCredential, {});
	const hook = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	if (hook?.parameters.authentication !== 'headerAuth') throw new Error(`${EXAMPLE} no longer has a Webhook node with Header Auth`);
	hook.parameters = { ...hook.parameters, path: webhookPath };
	hook.credentials = { httpHeaderAuth: { id: String(credentials.header.id), name: credentials.header.name } };
	hook.webhookId = crypto.randomUUID();
	return { ...wf, name: `${wf.name} (${webhookPath})` };
}

/** The name of the example's Pocket node, whose output each execution is checked by. */
function pocketNodeName() {
	const wf = loadExample(EXAMPLE, { id: '', name: '' }, {});
	const node = wf.nodes.find((n) => n.type === NODE_TYPE);
	if (!node) throw new Error(`${EXAMPLE} has no Pocket node`);
	return node.name;
}

/**
 * The owner, the credentials and one active webhook workflow per path: `load` saves with the
 * sign-in credential, `kill` with the access-token one.
 * @param {N8nClient} client
 * @param {Array<'load' | 'kill'>} paths
 * @returns {Promise<Record<string, string>>} workflow id by path
 */
async function setUpN8n(client, paths) {
	await client.setupOwner();
	const base = { baseUrl: pocket.url, consumerKey: CONSUMER_KEY, allowUnencryptedHttp: true };
	/** @type {Credentials} */
	const credentials = {
		pocket: await client.createCredential({ name: 'Pocket (token)', ...base, accessToken: ACCESS_TOKEN }),
		signIn: await client.createCredential({ name: 'Pocket (sign-in)', ...base, authentication: 'emailPassword', ...ACCOUNT }),
		header: await client.createHeaderAuthCredential({ name: 'Webhook key', header: WEBHOOK_HEADER, value: WEBHOOK_KEY }),
	};
	/** @type {Record<string, string>} */
	const ids = {};
	for (const p of paths) {
		const wf = await client.createWorkflow(webhookWorkflow(credentials, p === 'load' ? credentials.signIn : credentials.pocket, p));
		await client.activateWorkflow(wf.id);
		ids[p] = wf.id;
	}
	return ids;
}

/**
 * Waits until n8n serves the production webhook: registration can lag activation, and in queue
 * mode the main registers it. A request without the key is refused (403) once it is served,
 * without running the workflow.
 * @param {string} url
 */
async function waitForWebhook(url) {
	for (let i = 0; i < 120; i++) {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (res.status !== 404) {
			expect(res.status).toBe(403);
			return;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`${url} still 404`);
}

/**
 * @param {string} run a name for the run, part of every URL
 * @param {number} [count]
 */
function linksFor(run, count = REQUESTS) {
	return Array.from({ length: count }, (_, i) => `https://example.com/${run}/${i}`);
}

/**
 * Sends one link per request to the webhook.
 * @param {string} url the webhook's URL
 * @param {string[]} links
 * @param {Parameters<typeof runLoad>[0]['onAnswer']} [onAnswer]
 */
function load(url, links, onAnswer) {
	return runLoad({
		url,
		headers: { [WEBHOOK_HEADER]: WEBHOOK_KEY },
		bodies: links.map((link) => ({ url: link })),
		concurrency: CONCURRENCY,
		timeoutMs: REQUEST_TIMEOUT_MS,
		onAnswer,
	});
}

/** The processes of the n8n under load, by name, and the test process itself. */
function processes() {
	/** @type {Record<string, number | undefined>} */
	const pids = cluster
		? { main: cluster.main.process.pid, ...Object.fromEntries(cluster.workers.map((w, i) => [`worker ${i + 1}`, w.process.pid])), postgres: cluster.postgres.pid, redis: cluster.redis.pid }
		: { n8n: single?.process.pid };
	return pids;
}

/**
 * Runs a load and keeps its figures under `name`: throughput, latency and the CPU seconds each
 * process used per 100 requests, which other work on the machine changes far less than it
 * changes the latency.
 * @param {string} name
 * @param {() => Promise<Load>} run
 */
async function measured(name, run) {
	const pids = processes();
	const cpu = () => Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid) ?? NaN]));
	const before = cpu();
	const self = process.cpuUsage();
	const result = await run();
	const after = cpu();
	const selfUsed = process.cpuUsage(self);
	const per100 = (/** @type {number} */ seconds) => Number(((seconds * 100) / result.answers.length).toFixed(2));
	/** @type {Record<string, number>} */
	const cpuPer100 = Object.fromEntries(Object.keys(pids).map((n) => [n, per100(after[n] - before[n])]));
	cpuPer100['test (load, Pocket server)'] = per100((selfUsed.user + selfUsed.system) / 1e6);
	figures[name] = { ...loadFigures(result), cpuSecondsPer100Requests: cpuPer100 };
	mark(`${name} done: ${JSON.stringify(figures[name])}`);
	return result;
}

/** How many items the server holds per URL (it keeps duplicates, so a URL sent twice shows). */
function storedCounts() {
	/** @type {Map<string, number>} */
	const counts = new Map();
	for (const item of pocket.liveItems()) counts.set(item.given_url, (counts.get(item.given_url) ?? 0) + 1);
	return counts;
}

/** @param {Load} result */
function failures(result) {
	return result.answers.filter((a) => a.status !== 200).map((a) => `#${a.index}: ${a.status} ${a.text.slice(0, 200)}`);
}

/**
 * Every execution n8n recorded for the workflow, with its Pocket node's output, checked against
 * the server: an item with that id holds that URL.
 * @param {N8nClient} client
 * @param {string} workflowId
 */
async function recordedExecutions(client, workflowId) {
	const node = pocketNodeName();
	const executions = await client.listExecutions(workflowId);
	return mapLimit(executions, 8, async (e) => {
		// Its final status: a listing can show a webhook's execution still running, as Respond to
		// Webhook answers before the execution is saved.
		const { status, runData } = await client.waitForExecution(e.id, 30000);
		const output = nodeOutput(runData, node) ?? [];
		const json = /** @type {{ success?: boolean, action?: { url?: string }, item?: { item_id?: string } } | undefined} */ (output[0]);
		const stored = json?.item?.item_id ? pocket.state.items[json.item.item_id] : undefined;
		return {
			id: e.id,
			status,
			nodeMs: runData[node]?.[0]?.executionTime ?? 0,
			items: output.length,
			url: json?.action?.url,
			matchesServer: json?.success === true && stored !== undefined && stored.given_url === json.action?.url,
		};
	});
}

/**
 * The assertions every complete load makes: every request answered 200, every link stored
 * exactly once, one successful execution per link whose output is what the server holds.
 * @param {N8nClient} client
 * @param {string} workflowId
 * @param {string[]} links
 * @param {Load} result
 */
async function expectEveryLinkSavedOnce(client, workflowId, links, result) {
	expect(failures(result)).toEqual([]);
	const counts = storedCounts();
	expect(links.filter((l) => counts.get(l) !== 1)).toEqual([]);
	expect(counts.size).toBe(links.length);
	const executions = await recordedExecutions(client, workflowId);
	expect(executions.filter((e) => e.status !== 'success' || e.items !== 1 || !e.matchesServer)).toEqual([]);
	expect(executions.map((e) => e.url).sort()).toEqual([...links].sort());
	return executions;
}

/**
 * The sign-in figures of a load with the sign-in credential, and the bound they must keep. The
 * load outlasted the token several times, so it was renewed during it. An execution signs in
 * when the stored token expires within a quarter of its lifetime; executions that start before
 * the renewed token is stored sign in too, so a renewal costs at most one sign-in per
 * execution in flight.
 * @param {string} name the figures' name
 * @param {Load} result
 * @param {number} inFlight the most executions running at once
 * @param {Array<{ nodeMs: number }>} executions
 */
function expectFewSignIns(name, result, inFlight, executions) {
	const tokenLifetimes = Math.ceil(result.durationMs / 1000 / TOKEN_LIFETIME_SECONDS);
	const sends = pocket.requests.filter((r) => r.path.endsWith('/send')).length;
	figures[name] = {
		...figures[name],
		logins: pocket.signIn.logins,
		tokenLifetimes,
		// A /send beyond one per link was refused (401) and sent again after a new sign-in.
		refusedSends: sends - result.answers.length,
		pocketNodeMeanMs: Math.round(executions.reduce((sum, e) => sum + e.nodeMs, 0) / executions.length),
	};
	expect(tokenLifetimes).toBeGreaterThan(1);
	expect(pocket.signIn.logins).toBeGreaterThan(1);
	expect(pocket.signIn.logins).toBeLessThanOrEqual((tokenLifetimes + 1) * inFlight);
}

beforeAll(async () => {
	runtime = await prepare();
	tarball = packPackage({ build: process.env.POCKET_SKIP_BUILD !== '1' });
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocket-queue-'));
	pocket = await startPocketServer({
		consumerKey: CONSUMER_KEY,
		accessToken: ACCESS_TOKEN,
		account: ACCOUNT,
		tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
		keepDuplicates: true,
		// Pocket's 320 calls an hour would refuse most of a load.
		userLimit: 1_000_000,
	});
	mark('starting PostgreSQL, Redis, n8n main and two workers');
	cluster = await startQueueCluster({ ...runtime, tarball, dir, workers: 2 });
	mark('queue-mode n8n ready');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
	if (cluster) await cluster.stop();
	if (single) await single.stop();
	if (pocket) await pocket.close();
	if (dir && !process.env.POCKET_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
	console.log(`queue vs single (${REQUESTS} requests, ${CONCURRENCY} at a time):\n${JSON.stringify(figures, null, 2)}`);
});

describe('queue mode: main + 2 workers, PostgreSQL, Redis', () => {
	/** @type {N8nClient} */
	let client;
	/** @type {Record<string, string>} */
	let workflows;

	beforeAll(async () => {
		if (!cluster) throw new Error('no cluster');
		client = new N8nClient(cluster.main.url);
		workflows = await setUpN8n(client, ['load', 'kill']);
		for (const p of Object.keys(workflows)) await waitForWebhook(`${cluster.main.url}/webhook/${p}`);
	});

	beforeEach(() => pocket.reset());

	test(`${REQUESTS} webhook requests, ${CONCURRENCY} at a time, signing in with a token that expires every ${TOKEN_LIFETIME_SECONDS} s: all answered, both workers ran executions, every link saved once, few sign-ins`, async () => {
		if (!cluster) throw new Error('no cluster');
		const links = linksFor('queue');
		mark(`queue load: ${links.length} requests`);
		const url = `${cluster.main.url}/webhook/load`;
		const result = await measured('queue', () => load(url, links));
		const executions = await expectEveryLinkSavedOnce(client, workflows.load, links, result);
		expectFewSignIns('queue', result, IN_FLIGHT, executions);

		// Which worker ran each execution, from the workers' logs (n8n's execution records do not
		// name the worker): each recorded execution was finished by exactly one worker, and both
		// workers finished some.
		const { finished } = executionsByWorker(cluster.workers.map((w) => w.logFile));
		expect(executions.filter((e) => finished.get(e.id)?.length !== 1).map((e) => e.id)).toEqual([]);
		const perWorker = cluster.workers.map((_, w) => executions.filter((e) => finished.get(e.id)?.[0] === w).length);
		figures.queue.executionsPerWorker = perWorker;
		mark(`queue: ${JSON.stringify(figures.queue)}`);
		expect(perWorker.every((n) => n > 0)).toBe(true);
	});

	test('SIGKILL of a worker mid-load: every request answered or failed clearly, no acknowledged save lost, n8n runs nothing twice', async () => {
		if (!cluster) throw new Error('no cluster');
		const [victim] = cluster.workers;
		const links = linksFor('kill');
		/** @type {{ at: number, answered: number, running: string[] } | undefined} */
		let killed;
		mark(`kill load: ${links.length} requests, worker 1 killed after ${Math.floor(links.length * KILL_AFTER)} answers when it runs executions`);
		const url = `${cluster.main.url}/webhook/kill`;
		const following = followWorker(victim);
		const result = await measured('kill', () =>
			load(url, links, (answer, answered) => {
				const running = following.running();
				const due = answered >= links.length * KILL_AFTER && running.length >= KILL_RUNNING;
				if (!killed && (due || answered >= links.length * KILL_LATEST)) {
					victim.kill('SIGKILL');
					killed = { at: answer.endMs, answered, running };
				}
			}),
		);
		following.stop();
		if (!killed) throw new Error('the worker was not killed');
		const killedAt = killed.at;
		const at = (/** @type {number} */ time) => Number(((time - result.startedAt) / 1000).toFixed(1));
		const failed = result.answers.filter((a) => a.status !== 200);

		// Every request got an HTTP answer (none timed out or lost its connection), and every
		// failure says so with a server error and a message.
		expect(result.answers.filter((a) => a.status === 0).map((a) => `#${a.index}: ${a.text}`)).toEqual([]);
		expect(failed.filter((a) => a.status < 500 || a.text.length === 0).map((a) => `#${a.index}: ${a.status} ${a.text}`)).toEqual([]);

		// No acknowledged save is lost, and n8n saved nothing twice: a stalled job is failed,
		// not run again (n8n 2.x queues with Bull's maxStalledCount 0).
		const counts = storedCounts();
		const ok = result.answers.filter((a) => a.status === 200).map((a) => links[a.index]);
		expect(ok.filter((l) => counts.get(l) !== 1)).toEqual([]);
		expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
		const appliedButFailed = failed.map((a) => links[a.index]).filter((l) => counts.get(l) === 1);

		// n8n's records: each failed request is one execution n8n marked as failed, after the jobs
		// the killed worker held stalled (its main logs "Problem with execution <id>: This execution
		// failed to be processed too many times ..."). No execution was started twice.
		const executions = await mapLimit(await client.listExecutions(workflows.kill), 8, async (e) => ({
			id: e.id,
			status: (await client.waitForExecution(e.id, 30000)).status,
		}));
		const statuses = executions.reduce((acc, e) => ({ ...acc, [String(e.status)]: (acc[String(e.status)] ?? 0) + 1 }), /** @type {Record<string, number>} */ ({}));
		const crashed = executions.filter((e) => e.status !== 'success').map((e) => e.id);
		const gaveUp = readLog(cluster.main.logFile).flatMap((l) => {
			const m = /^Problem with execution (\d+): This execution failed to be processed too many times/.exec(l.message);
			return m ? [{ id: m[1], time: l.time }] : [];
		});
		expect(executions).toHaveLength(links.length);
		// A killed execution may have answered 200 already (Respond to Webhook runs before the
		// execution is saved): more crashed executions than failed requests, never fewer.
		expect(crashed.length).toBeGreaterThanOrEqual(failed.length);
		expect(gaveUp.map((g) => g.id).sort()).toEqual([...crashed].sort());
		// A SIGKILLed worker's last log lines can be lost, so its log may miss a start; one execution
		// started twice would be a re-run. (The server's counts above are the stronger check.)
		const { started } = executionsByWorker(cluster.workers.map((w) => w.logFile));
		const rerun = executions.filter((e) => (started.get(e.id)?.length ?? 0) > 1).map((e) => e.id);
		expect(rerun).toEqual([]);

		// The caller retries what failed, once, as a webhook sender would: now every link is saved,
		// and the links whose failed first try had reached the server are saved twice (a server
		// that keeps duplicates; Pocket itself re-adds). That is the duplicate count to expect.
		const retry = await load(url, failed.map((a) => links[a.index]));
		expect(failures(retry)).toEqual([]);
		const after = storedCounts();
		expect(links.filter((l) => !after.get(l))).toEqual([]);
		const duplicates = links.filter((l) => (after.get(l) ?? 0) > 1);
		expect(duplicates.sort()).toEqual([...appliedButFailed].sort());

		figures.kill = {
			...figures.kill,
			failed: failed.length,
			failedButSaved: appliedButFailed.length,
			crashedExecutions: crashed.length,
			crashedButAnswered200: crashed.length - failed.length,
			rerun: rerun.length,
			executionStatuses: statuses,
			duplicatesAfterRetry: duplicates.length,
			timeline: {
				killedAtS: Number((killedAt / 1000).toFixed(1)),
				answeredBeforeKill: killed.answered,
				runningOnKilledWorker: killed.running.length,
				n8nGaveUpS: gaveUp.length ? [at(Math.min(...gaveUp.map((g) => g.time))), at(Math.max(...gaveUp.map((g) => g.time)))] : [],
				failuresAnsweredS: failed.length ? [failed[0].endMs / 1000, Math.max(...failed.map((a) => a.endMs)) / 1000] : [],
				loadEndedS: Number((result.durationMs / 1000).toFixed(1)),
				failureText: failed[0]?.text.slice(0, 200),
			},
		};
		mark(`kill load done: ${JSON.stringify(figures.kill)}`);
	});
});

describe('one regular n8n (SQLite), for comparison', () => {
	test(`the same ${REQUESTS} webhook requests, ${CONCURRENCY} at a time`, async () => {
		// The cluster goes first, so that the single n8n has the machine to itself.
		if (cluster) await cluster.stop();
		cluster = undefined;
		const userFolder = path.join(dir, 'single');
		installPackage(userFolder, tarball);
		single = await startN8n({ ...runtime, userFolder });
		const client = new N8nClient(single.url);
		const workflows = await setUpN8n(client, ['load']);
		const url = `${single.url}/webhook/load`;
		await waitForWebhook(url);
		pocket.reset();
		const links = linksFor('single');
		mark(`single load: ${links.length} requests`);
		const result = await measured('single', () => load(url, links));
		const executions = await expectEveryLinkSavedOnce(client, workflows.load, links, result);
		expectFewSignIns('single', result, CONCURRENCY, executions);
		mark(`single: ${JSON.stringify(figures.single)}`);
	});
});
