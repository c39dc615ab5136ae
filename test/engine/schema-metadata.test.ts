import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isPathSegmentName, isQualifiedName, isValidLabelValue, nameRuleOf, type Check } from '../../server/src/engine/schema/metadata';
import { check, PATCH_REPO, yaml } from './schema-helpers';

/**
 * The metadata rules against the API server's own validation functions: the good and bad values
 * below are the documented cases of k8s.io/apimachinery pkg/util/validation/validation_test.go
 * (TestIsDNS1123Label, TestIsDNS1123Subdomain, TestIsDNS1035Label, TestIsQualifiedName,
 * TestIsValidLabelValue) and pkg/api/validation/path (IsValidPathSegmentName), copied as they are.
 */
const r = (c: string, n: number) => c.repeat(n);

const TABLES: { name: string; fn: Check; good: string[]; bad: string[] }[] = [
	{
		name: 'IsDNS1123Label',
		fn: isDNS1123Label,
		good: ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)],
		bad: ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)],
	},
	{
		name: 'IsDNS1123Subdomain',
		fn: isDNS1123Subdomain,
		good: [
			'a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2',
			'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1',
			'0.a', '01.a', '012.a', '1a.a', '1-a.a', '1--a--b--2', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1',
			'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', r('a', 253),
		],
		bad: [
			'', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
			'.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
			'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A',
			'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a_b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', r('a', 254),
		],
	},
	{
		name: 'IsDNS1035Label',
		fn: isDNS1035Label,
		good: ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', r('a', 63)],
		bad: [
			'0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1',
			'_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64),
		],
	},
	{
		name: 'IsQualifiedName',
		fn: isQualifiedName,
		good: [
			'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes',
			'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123',
			'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', r('a', 63), `${r('a', 253)}/${r('b', 63)}`,
		],
		bad: ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple', r('a', 64), `${r('a', 254)}/abc`],
	},
	{
		name: 'IsValidLabelValue',
		fn: isValidLabelValue,
		good: ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), ''],
		bad: ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', r('a', 64)],
	},
	{
		name: 'IsValidPathSegmentName',
		fn: isPathSegmentName,
		good: ['system:controller:job-controller', 'Any_Name-1', 'edit'],
		bad: ['.', '..', 'a/b', 'a%b'],
	},
];

describe('metadata rules: the API server validation functions documented cases', () => {
	for (const t of TABLES) {
		it(`${t.name}: accepts every good value and rejects every bad one, saying why`, () => {
			for (const v of t.good) assert.deepEqual(t.fn(v), [], `${t.name}(${JSON.stringify(v)}) should pass`);
			for (const v of t.bad) {
				const errs = t.fn(v);
				assert.ok(errs.length > 0, `${t.name}(${JSON.stringify(v)}) should fail`);
				assert.ok(errs.every((e) => e !== '' && !e.includes('allowed form')), `${t.name}(${JSON.stringify(v)}) says why: ${errs.join('; ')}`);
			}
		});
	}

	it('names each kind by the rule its API server applies', () => {
		assert.equal(nameRuleOf('', 'Service'), 'dns1035-label');
		assert.equal(nameRuleOf('', 'Namespace'), 'dns1123-label');
		assert.equal(nameRuleOf('rbac.authorization.k8s.io', 'ClusterRole'), 'path-segment');
		assert.equal(nameRuleOf('apps', 'Deployment'), 'dns1123-subdomain');
		assert.equal(nameRuleOf('', 'ConfigMap'), 'dns1123-subdomain');
		assert.equal(nameRuleOf('helm.toolkit.fluxcd.io', 'HelmRelease'), 'dns1123-subdomain');
	});
});

const meta = (apiVersion: string, kind: string, ...lines: string[]) => yaml(`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', ...lines);

describe('metadata rules: what the API server rejects is an error on the exact node', () => {
	it('a Deployment named My_App: not a DNS subdomain, with the fix', () => {
		const text = yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: My_App', 'spec:', '  selector: {matchLabels: {app: web}}', '  template:', '    metadata: {labels: {app: web}}', '    spec: {containers: [{name: web, image: nginx}]}');
		assert.deepEqual(check(text), [
			'3:8-3:14 schema-metadata metadata.name "My_App" contains upper-case letters and "_": a Deployment name must be a DNS subdomain (RFC 1123: lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit, at most 253 characters), or the API server rejects it. Use "my-app".',
		]);
	});

	it('a Service named 1-web: Service names are DNS-1035 labels that start with a letter', () => {
		assert.deepEqual(check(meta('v1', 'Service', '  name: 1-web', 'spec: {ports: [{port: 80}]}').replace('spec: {ports', 'spec: {ports')), [
			'3:8-3:13 schema-metadata metadata.name "1-web" starts with a digit: a Service name must start with a letter: it becomes a DNS label (RFC 1035: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters), or the API server rejects it.',
		]);
	});

	it('a label value of 68 characters and a label key with a space', () => {
		const text = meta('v1', 'ConfigMap', '  name: cfg', '  labels:', `    app.kubernetes.io/version: ${r('v', 68)}`, '    "my label": web');
		assert.deepEqual(check(text), [
			'5:31-5:99 schema-metadata The value of label "app.kubernetes.io/version" is 68 characters long (at most 63): label values are at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty), because selectors index them, or the API server rejects the object.',
			'6:4-6:14 schema-metadata Label key "my label" contains a space: a label key is an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit, or the API server rejects the object.',
		]);
	});

	it('a pod template label and a selector label are validated like the object labels', () => {
		const text = yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  selector: {matchLabels: {app: web-}}', '  template:', '    metadata: {labels: {app: web-}}', '    spec: {containers: [{name: web, image: nginx}]}');
		const out = check(text).sort();
		assert.equal(out.length, 2);
		assert.match(out[0], /^4:32-4:36 schema-metadata The value of label "app" ends with "-"/);
		assert.match(out[1], /^6:29-6:33 schema-metadata The value of label "app" ends with "-"/);
	});

	it('a namespace that cannot exist, an invalid annotation key, a generateName with a bad prefix', () => {
		const out = check(meta('v1', 'ConfigMap', '  generateName: Web_', '  namespace: Team_A', '  annotations:', '    "example.com/a b": x'));
		assert.equal(out.length, 3);
		assert.match(out[0], /^3:16-3:20 schema-metadata metadata.generateName "Web_" contains upper-case letters and "_": a ConfigMap name must be a DNS subdomain .*; generateName is its prefix, or the API server rejects it\.$/);
		assert.match(out[1], /^4:13-4:19 schema-metadata metadata.namespace "Team_A" contains upper-case letters and "_": namespace names are DNS labels .* Use "team-a"\.$/);
		assert.match(out[2], /^6:4-6:21 schema-metadata Annotation key "example.com\/a b" has a name after "\/" that contains a space: an annotation key is/);
	});

	it('annotations over 256 KiB in total', () => {
		const out = check(meta('v1', 'ConfigMap', '  name: cfg', '  annotations:', `    big: ${r('x', 256 * 1024)}`));
		assert.deepEqual(out, ['4:2-4:13 schema-metadata metadata.annotations hold 262147 bytes of keys and values: the API server rejects more than 262144 bytes (256 KiB) of annotations. Move large data to a ConfigMap.']);
	});

	it('an invalid name of a custom resource (DNS subdomain, as the apiextensions server checks)', () => {
		const text = yaml('apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata: {name: Flux_System, namespace: flux-system}', 'spec: {interval: 1m, url: "https://example.com/repo.git"}');
		assert.deepEqual(
			check(text).map((l) => l.split(' ').slice(0, 4).join(' ')),
			['2:17-2:28 schema-metadata metadata.name "Flux_System"'],
		);
	});
});

describe('metadata rules: what the API server accepts is not reported', () => {
	it('a dotted ConfigMap name that starts with a digit, an empty label value, upper case in label keys and values', () => {
		const text = meta('v1', 'ConfigMap', '  name: 1.config.example.com', '  labels:', '    empty: ""', '    App.Kubernetes.IO_Name: My_App.v1', '  annotations:', '    Example.com/Owner: team');
		assert.deepEqual(check(text), []);
	});

	it('names with a generateName prefix ending in "-", RBAC names with colons, a Namespace at the 63-character limit', () => {
		const text = [
			meta('batch/v1', 'Job', '  generateName: migrate-', 'spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: busybox}]}}}'),
			meta('rbac.authorization.k8s.io/v1', 'ClusterRole', '  name: "system:controller:my-Controller"', 'rules: []'),
			meta('v1', 'Namespace', `  name: ${r('n', 63)}`),
		].join('---\n');
		assert.deepEqual(check(text), []);
	});

	it('values Flux substitutes at build time are not judged', () => {
		const text = meta('v1', 'ConfigMap', '  name: app-${cluster_name}', '  namespace: ${TENANT}', '  labels:', '    env: ${cluster_env:=Dev_Cluster}', '    ${label_key}: x');
		assert.deepEqual(check(text), []);
	});

	it('kustomize patches: names and labels are still checked (they reach the cluster)', () => {
		const text = meta('apps/v1', 'Deployment', '  name: web', '  labels: {team: Team_A-}');
		assert.equal(check(text, { repo: PATCH_REPO }).length, 1);
	});
});
