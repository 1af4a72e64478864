// The conformance suite checks Strata with real clients from Debian packages.
// This preflight says which package is missing before anything else runs.

import assert from 'node:assert/strict';
import { PYTHON_MODULE_PACKAGES, TOOL_PACKAGES, hasTool, requirePythonModules, requireTools } from '../support/debian-tools';

describe('conformance preflight', () => {
  it('has every real client installed (names the Debian package of any that is missing)', () => {
    requireTools(Object.keys(TOOL_PACKAGES));
    requirePythonModules(Object.keys(PYTHON_MODULE_PACKAGES));
  });

  it('names the package to install for a missing tool', () => {
    assert.equal(hasTool('strata-no-such-tool'), false);
    assert.throws(() => requireTools(['dig', 'strata-no-such-tool']), /missing strata-no-such-tool: install with `apt-get install -y strata-no-such-tool`/);
    assert.throws(() => requirePythonModules(['json', 'strata_no_such_module']), /missing Python module strata_no_such_module for \/usr\/bin\/python3: install with `apt-get install -y python3-strata_no_such_module`/);
  });
});
