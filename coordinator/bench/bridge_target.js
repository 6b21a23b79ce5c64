// The no-op JavaScript function steps.py calls through the bridge.
exports.step = (i) => i;
