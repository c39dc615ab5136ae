import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedValues } from '../../server/src/engine/core/shared-values';

test('a shared value is the first one given for its key, until the table is full and starts again', () => {
	const shared = new SharedValues<string[]>(2);
	const first = ['flux-system'];
	assert.equal(shared.share('flux-system', first), first);
	assert.equal(shared.share('flux-system', ['flux-system']), first, 'a second equal list gets the first');
	const other = ['infra'];
	assert.equal(shared.share('infra', other), other);
	// Full (two keys): a new key starts the table again, and the old keys are new again.
	const third = ['apps'];
	assert.equal(shared.share('apps', third), third);
	const again = ['flux-system'];
	assert.equal(shared.share('flux-system', again), again);
	assert.equal(shared.share('apps', ['apps']), third);
});
