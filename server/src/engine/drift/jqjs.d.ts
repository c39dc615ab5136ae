/** Types of @michaelhomer/jqjs (pure-JavaScript jq; the package ships none): what drift uses. */
declare module '@michaelhomer/jqjs' {
	interface Jq {
		/** Compiles a jq program into a function that yields its outputs for an input. */
		compile(program: string): (input: unknown) => Iterable<unknown>;
	}
	const jq: Jq;
	export default jq;
}
