module.exports = { test: () => false, serialize: (v) => String(v) };
