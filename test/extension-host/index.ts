import { runAll } from './harness';
import './explorer.suite';

/** The `extensionTestsPath` entry point: VS Code's (or code-server's) extension host calls `run`. */
export function run(): Promise<void> {
	return runAll();
}
