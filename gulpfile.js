const { src, dest } = require('gulp');

/** tsc only emits JavaScript: icons and codex files must sit beside the built node. */
function buildIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
