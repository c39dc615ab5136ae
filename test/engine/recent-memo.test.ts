import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RecentMemo } from '../../server/src/engine/core/recent-memo';

test('recent memo: a key asked again while among the last few gets what was made for it, once', () => {
	const memo = new RecentMemo<object, number>(2);
	const a = {};
	let made = 0;
	assert.equal(memo.get(a, () => ++made), 1);
	assert.equal(memo.get(a, () => ++made), 1);
	assert.equal(made, 1);
});

test('recent memo: past its size the oldest key is forgotten, by identity', () => {
	const memo = new RecentMemo<object, string>(2);
	const [a, b, c] = [{}, {}, {}];
	memo.get(a, () => 'a');
	memo.get(b, () => 'b');
	memo.get(c, () => 'c');
	assert.equal(memo.get(b, () => 'b again'), 'b');
	assert.equal(memo.get(a, () => 'a again'), 'a again', 'a was the oldest');
	assert.equal(memo.get({}, () => 'equal but not the same'), 'equal but not the same');
});
