'use strict';

/**
 * The members of n8n's IWorkflowExecuteAdditionalData that the engine reaches for a plain run
 * of regular nodes. Shared by the test harness (n8n-core 2.8) and the benchmark (the pinned
 * n8n's engine), so plain JavaScript; the rest (secrets, task runners, sub-workflows) belongs to
 * n8n's server and is absent on purpose.
 */
function executeAdditionalData(credentialsHelper, hooks) {
	const unsupported = () => {
		throw new Error('not supported outside an n8n server');
	};
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: unsupported,
	};
}

module.exports = { executeAdditionalData };
