import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CelEnvironment, fromCel, toCel } from '../../server/src/engine/cel';

/**
 * The Kubernetes CEL libraries, with the examples of the Kubernetes documentation ("Common
 * Expression Language in Kubernetes") and of the libraries' godoc
 * (k8s.io/apiserver/pkg/cel/library): each expression with the result Kubernetes gives.
 */

const env = new CelEnvironment({ variables: ['self', 'object', 'names', 'items'] });

function run(expr: string, bindings: Record<string, unknown> = {}): unknown {
	const c = env.compile(expr);
	if (!c.ok) throw new Error(`compile: ${c.errors.map((e) => e.message).join('; ')}`);
	const vars = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, toCel(v)]));
	const r = env.evaluate(c.program, vars);
	if (!r.ok) throw new Error(`eval: ${r.error}`);
	return fromCel(r.value);
}

function fails(expr: string): string {
	const c = env.compile(expr);
	if (!c.ok) return c.errors[0].message;
	const r = env.evaluate(c.program, {});
	assert.equal(r.ok, false, `${expr} should fail`);
	return r.ok ? '' : r.error;
}

const examples = (rows: [string, unknown][]) => {
	for (const [expr, expected] of rows) assert.deepEqual(run(expr), expected, expr);
};

test('documentation examples of CEL in Kubernetes (self of a custom resource)', () => {
	const self = { minReplicas: 1, replicas: 2, maxReplicas: 3, stateCounts: { Available: 1 }, list1: [1], list2: [], health: 'ok-ish', widgets: [{ key: 'x', foo: 5 }], set1: ['a'], set2: ['b'], names: ['a'], details: { a: 'xyz' } };
	for (const rule of [
		'self.minReplicas <= self.replicas && self.replicas <= self.maxReplicas',
		"'Available' in self.stateCounts",
		'(self.list1.size() == 0) != (self.list2.size() == 0)',
		"self.health.startsWith('ok')",
		"self.widgets.exists(w, w.key == 'x' && w.foo < 10)",
		'self.set1.all(e, !(e in self.set2))',
		'self.names.size() == self.details.size() && self.names.all(n, n in self.details)',
		"self.details.all(key, key.matches('^[a-zA-Z]*$'))",
		"self.details.all(key, self.details[key].matches('^[a-zA-Z]*$'))",
	])
		assert.equal(run(rule, { self }), true, rule);
	assert.equal(run("type(self) == string ? self == '99%' : self == 42", { self: 42 }), true);
	assert.equal(run("type(self) == string ? self == '99%' : self == 42", { self: '99%' }), true);
	assert.equal(run('self.minReplicas <= self.replicas', { self: { ...self, minReplicas: 5 } }), false);
});

test('list library: isSorted, sum, min, max, indexOf, lastIndexOf', () => {
	examples([
		['[1, 2, 3].isSorted()', true],
		["['a', 'b', 'b', 'c'].isSorted()", true],
		['[2.0, 1.0].isSorted()', false],
		['[1].isSorted()', true],
		['[].isSorted()', true],
		['[1, 3].sum()', 4],
		['[1.0, 3.0].sum()', 4],
		['[].sum()', 0],
		['[1, 3].min()', 1],
		['[1, 3].max()', 3],
		['[1].min()', 1],
		['[1, 2, 2, 3].indexOf(2)', 1],
		["['a', 'b', 'b', 'c'].lastIndexOf('b')", 2],
		['[1.0].indexOf(1.1)', -1],
		["[].indexOf('string')", -1],
		['[1, 2, 3].includes(2)', true],
		["sets.contains([1, 2, 3], [2, 3])", true],
		["sets.intersects([1], [2])", false],
	]);
	assert.equal(run('names.isSorted()', { names: ['a', 'b'] }), true);
	assert.equal(run('items.map(x, x.weight).sum() == 1.0', { items: [{ weight: 0.25 }, { weight: 0.75 }] }), true);
	assert.match(fails('[].min()'), /min called on empty list/);
});

test('regex library: find and findAll', () => {
	examples([
		['"abc 123".find(\'[0-9]+\')', '123'],
		['"abc 123".find(\'xyz\')', ''],
		['"123 abc 456".findAll(\'[0-9]+\')', ['123', '456']],
		['"123 abc 456".findAll(\'[0-9]+\', 1)', ['123']],
		['"123 abc 456".findAll(\'xyz\')', []],
		['"1, 2, 3, 4".findAll(\'[0-9]+\').map(x, int(x)).sum() < 100', true],
	]);
	assert.match(fails('"abc".find(\'[\')'), /Illegal regex/);
});

test('url library', () => {
	examples([
		["isURL('https://user:pass@example.com:80/path?query=val#fragment')", true],
		["isURL('/absolute-path')", true],
		["isURL('https://a:b:c/')", false],
		["isURL('../relative-path')", false],
		["url('/path').getScheme()", ''],
		["url('https://example.com/').getScheme()", 'https'],
		["url('https://example.com:80/').getHost()", 'example.com:80'],
		["url('https://example.com/').getHost()", 'example.com'],
		["url('https://[::1]:80/').getHost()", '[::1]:80'],
		["url('https://[::1]/').getHost()", '[::1]'],
		["url('/path').getHost()", ''],
		["url('https://example.com:80/').getHostname()", 'example.com'],
		["url('https://127.0.0.1:80/').getHostname()", '127.0.0.1'],
		["url('https://[::1]:80/').getHostname()", '::1'],
		["url('https://example.com:80/').getPort()", '80'],
		["url('https://example.com/').getPort()", ''],
		["url('https://example.com/path').getEscapedPath()", '/path'],
		["url('https://example.com/path with spaces/').getEscapedPath()", '/path%20with%20spaces/'],
		["url('https://example.com').getEscapedPath()", ''],
		["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", { k1: ['a'], k2: ['b', 'c'] }],
		["url('https://example.com/path?key with spaces=value with spaces').getQuery()", { 'key with spaces': ['value with spaces'] }],
		["url('https://example.com/path?').getQuery()", {}],
		["url('https://example.com/path').getQuery()", {}],
	]);
	assert.match(fails("url('../relative-path')"), /URL parse error/);
	assert.match(fails("url('https://a:b:c/')"), /invalid port/);
});

test('quantity library', () => {
	examples([
		["isQuantity('1.3G')", true],
		["isQuantity('1.3Gi')", true],
		["isQuantity('1,3G')", false],
		["isQuantity('10000k')", true],
		["isQuantity('200K')", false],
		["isQuantity('Three')", false],
		["isQuantity('Mi')", false],
		['quantity("50000000G").isInteger()', true],
		['quantity("50k").isInteger()', true],
		['quantity("9999999999999999999999999999999999999G").isInteger()', false],
		['quantity("50k").asInteger() == 50000', true],
		['quantity("50k").sub(20000).asApproximateFloat() == 30000', true],
		['quantity("50k").add(quantity("20k")) == quantity("70k")', true],
		['quantity("50k").add(20) == quantity("50020")', true],
		['quantity("50k").sub(quantity("20k")) == quantity("30k")', true],
		['quantity("50k").sub(20000) == quantity("30k")', true],
		['quantity("50k").add(20).sub(quantity("100k")).sub(-50000) == quantity("20")', true],
		['quantity("200M").compareTo(quantity("0.2G"))', 0],
		['quantity("50M").compareTo(quantity("50Mi"))', -1],
		['quantity("50Mi").compareTo(quantity("50M"))', 1],
		['quantity("150Mi").isGreaterThan(quantity("100Mi"))', true],
		['quantity("50Mi").isGreaterThan(quantity("100Mi"))', false],
		['quantity("50M").isLessThan(quantity("100M"))', true],
		['quantity("100M").isLessThan(quantity("50M"))', false],
		['quantity("1").sign()', 1],
		['quantity("-1m").sign()', -1],
	]);
	assert.match(fails('quantity("9999999999999999999999999999999999999G").asInteger()'), /cannot convert value to integer/);
	assert.match(fails("quantity('200K')"), /quantities must match/);
});

test('ip library', () => {
	examples([
		["isIP('127.0.0.1')", true],
		["isIP('::1')", true],
		["isIP('127.0.0.256')", false],
		["isIP(':::1')", false],
		["ip.isCanonical('127.0.0.1')", true],
		["ip.isCanonical('2001:db8::abcd')", true],
		["ip.isCanonical('2001:DB8::ABCD')", false],
		["ip.isCanonical('2001:db8::0:0:0:abcd')", false],
		["ip('127.0.0.1').family() == 4", true],
		["ip('::1').family() == 6", true],
		["ip('0.0.0.0').isUnspecified()", true],
		["ip('127.0.0.1').isUnspecified()", false],
		["ip('::').isUnspecified()", true],
		["ip('::1').isUnspecified()", false],
		["ip('127.0.0.1').isLoopback()", true],
		["ip('192.168.0.1').isLoopback()", false],
		["ip('::1').isLoopback()", true],
		["ip('2001:db8::abcd').isLoopback()", false],
		["ip('224.0.0.1').isLinkLocalMulticast()", true],
		["ip('224.0.1.1').isLinkLocalMulticast()", false],
		["ip('ff02::1').isLinkLocalMulticast()", true],
		["ip('fd00::1').isLinkLocalMulticast()", false],
		["ip('169.254.169.254').isLinkLocalUnicast()", true],
		["ip('192.168.0.1').isLinkLocalUnicast()", false],
		["ip('fe80::1').isLinkLocalUnicast()", true],
		["ip('fd80::1').isLinkLocalUnicast()", false],
		["ip('192.168.0.1').isGlobalUnicast()", true],
		["ip('255.255.255.255').isGlobalUnicast()", false],
		["ip('2001:db8::abcd').isGlobalUnicast()", true],
		["ip('ff00::1').isGlobalUnicast()", false],
		["string(ip('2001:DB8::ABCD'))", '2001:db8::abcd'],
	]);
	assert.match(fails("ip('127.0.0.256')"), /parse error/);
	assert.match(fails("ip('::ffff:1.2.3.4')"), /IPv4-mapped/);
	assert.match(fails("ip('fe80::1%eth0')"), /zone/);
});

test('cidr library', () => {
	examples([
		["isCIDR('192.168.0.0/16')", true],
		["isCIDR('::1/128')", true],
		["isCIDR('192.168.0.0/33')", false],
		["isCIDR('::1/129')", false],
		["cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", true],
		["cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))", false],
		["cidr('192.168.0.0/24').containsIP('192.168.0.1')", true],
		["cidr('192.168.0.0/24').containsIP('192.168.1.1')", false],
		["cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24'))", true],
		["cidr('192.168.1.0/24').containsCIDR(cidr('192.168.2.0/24'))", false],
		["cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", true],
		["cidr('192.168.1.0/24').containsCIDR('192.168.2.0/24')", false],
		["cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", true],
		["cidr('192.168.0.1/24').ip().family()", 4],
		["cidr('::1/128').ip() == ip('::1')", true],
		["cidr('::1/128').ip().family()", 6],
		["cidr('192.168.0.0/24').masked() == cidr('192.168.0.0/24')", true],
		["cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", true],
		["cidr('192.168.0.0/24') == cidr('192.168.0.0/24').masked()", true],
		["cidr('192.168.0.1/24') == cidr('192.168.0.1/24').masked()", false],
		["cidr('192.168.0.0/16').prefixLength()", 16],
		["cidr('::1/128').prefixLength()", 128],
	]);
});

test('format library', () => {
	examples([
		["format.dns1123Label().validate('my-label-name').hasValue()", false],
		["format.dns1123Subdomain().validate('apiextensions.k8s.io').hasValue()", false],
		["format.dns1035Label().validate('my-label-name').hasValue()", false],
		["format.qualifiedName().validate('apiextensions.k8s.io/v1beta1').hasValue()", false],
		["format.dns1123LabelPrefix().validate('my-label-prefix-').hasValue()", false],
		["format.dns1035LabelPrefix().validate('my-label-prefix-').hasValue()", false],
		["format.uri().validate('http://example.com').hasValue()", false],
		["format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()", false],
		["format.byte().validate('aGVsbG8=').hasValue()", false],
		["format.date().validate('2021-01-01').hasValue()", false],
		["format.datetime().validate('2021-01-01T00:00:00Z').hasValue()", false],
		["format.dns1123Label().validate('Not_A_Label').hasValue()", true],
		["format.date().validate('2021-02-30').value()", ['invalid date']],
		["format.named('dns1123Label').hasValue()", true],
		["format.named('nope').hasValue()", false],
	]);
	assert.match(String(run("format.dns1123Label().validate('UPPER').value().join('\\n')")), /lowercase RFC 1123 label/);
});

test('optionals, strings extension and cel.bind', () => {
	const object = { spec: { containers: [{ name: 'a' }] } };
	assert.equal(run("object.spec.?initContainers.orValue([]).size()", { object }), 0);
	assert.equal(run("object.?spec.?containers[?0].?name.orValue('')", { object }), 'a');
	assert.equal(run("object.spec.containers[?3].hasValue()", { object }), false);
	assert.equal(run("optional.of(1).or(optional.of(2)).value()", {}), 1);
	assert.equal(run("optional.none().orValue('d')", {}), 'd');
	assert.equal(run("optional.of(2).optMap(x, x * 10).value()", {}), 20);
	assert.equal(run("optional.ofNonZeroValue('').hasValue()", {}), false);
	assert.equal(run("'a,b'.split(',').size() + 'ABC'.lowerAscii().size()", {}), 5);
	assert.equal(run("cel.bind(n, [1, 2, 3], n.size() * 2)", {}), 6);
	assert.match(fails('optional.none().value()'), /optional.none\(\) dereference/);
});

test('integers are ints, as in Kubernetes: arithmetic with int literals works', () => {
	assert.equal(run('object.spec.replicas + 1', { object: { spec: { replicas: 3 } } }), 4);
	assert.equal(run('object.spec.ratio * 2.0', { object: { spec: { ratio: 0.5 } } }), 1);
});

test('authorizer is absent: the expression compiles and is not evaluated, saying why', () => {
	const c = env.compile("authorizer.group('').resource('pods').namespace('default').check('create').allowed()");
	assert.ok(c.ok);
	const r = env.evaluate(c.program, {});
	assert.equal(r.ok, false);
	assert.match(r.ok ? '' : r.error, /not evaluated: .*authorizer/);
});

test('compile errors name the mistake and sit on its characters', () => {
	const typo = env.compile('object.spec.replicas >');
	assert.ok(!typo.ok);
	assert.match(typo.errors[0].message, /Syntax error/);
	const unknown = env.compile('objet.spec');
	assert.ok(!unknown.ok);
	assert.deepEqual([unknown.errors[0].start, unknown.errors[0].end], [0, 5]);
	assert.match(unknown.errors[0].message, /undeclared reference to 'objet'/);
	const method = env.compile('object.metadata.name.startWith("x")');
	assert.ok(!method.ok);
	assert.match(method.errors[0].message, /'startWith'/);
	// After an optional selection, offsets are those of the text the user wrote.
	const after = env.compile('object.?spec.bogus()');
	assert.ok(!after.ok);
	assert.equal('object.?spec.bogus()'.slice(after.errors[0].start).startsWith('.bogus') || 'object.?spec.bogus()'.slice(after.errors[0].start).startsWith('bogus'), true);
});

test('compiled once per text: the same program object is returned', () => {
	const a = env.compile('self.x == 1');
	const b = env.compile('self.x == 1');
	assert.ok(a.ok && b.ok);
	assert.equal(a.program, b.program);
});
