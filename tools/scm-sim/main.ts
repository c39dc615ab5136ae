import { parseArgs } from 'node:util';
import { githubServer } from './github';

/**
 * `node dist/scm-sim.js github [--owner acme] [--repo fleet] [--token TOKEN] [--port 0]`: the GitHub
 * API simulator of the tests, on 127.0.0.1, for the demo (`npm start`): promotion pull requests from
 * the editor land here, each with a page of its own. Prints its URL, then `ready`, then one line per
 * request that changes something; runs until SIGINT/SIGTERM.
 */

const USAGE = 'Usage: scm-sim github [--owner OWNER] [--repo REPO] [--token TOKEN] [--port PORT]\n';

async function main(): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({ allowPositionals: true, options: { owner: { type: 'string' }, repo: { type: 'string' }, token: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
	} catch (e) {
		process.stderr.write(`scm-sim: ${e instanceof Error ? e.message : e}\n${USAGE}`);
		return 2;
	}
	const { values, positionals } = parsed;
	if (values.help) {
		process.stdout.write(USAGE);
		return 0;
	}
	if (positionals.length !== 1 || positionals[0] !== 'github') {
		process.stderr.write(`scm-sim: the one host simulated from the command line is github\n${USAGE}`);
		return 2;
	}
	const port = Number(values.port ?? 0);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		process.stderr.write(`scm-sim: --port must be a port number, got ${values.port}\n`);
		return 2;
	}
	const gh = await githubServer({
		owner: values.owner,
		repo: values.repo,
		token: values.token,
		port,
		pages: true,
		onReply: (req, reply) => {
			if (req.method !== 'GET') process.stdout.write(`scm-sim: ${req.method} ${req.path} -> ${reply.status}\n`);
		},
	});
	process.stdout.write(`scm-sim: github ${gh.owner}/${gh.repo} on ${gh.url}\nready\n`);
	await new Promise<void>((resolve) => {
		for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
	});
	await gh.close();
	return 0;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`scm-sim: ${e instanceof Error ? e.message : e}\n`);
		process.exit(1);
	},
);
