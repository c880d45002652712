import t from 'tap';
import { upgradeRefusal, versionChange, versionSkewNotice } from '../../src/kube/version-step.js';

t.test('versionChange classifies steps', async (t) => {
  t.equal(versionChange('1.30.0', '1.30.0'), 'same');
  t.equal(versionChange('1.30.0', '1.30.6'), 'patch');
  t.equal(versionChange('1.30.6', '1.31.0'), 'minor');
  t.equal(versionChange('1.30.0', '1.32.0'), 'skips-minors');
  t.equal(versionChange('1.31.0', '1.30.9'), 'downgrade');
  t.equal(versionChange('1.30.2', '1.30.1'), 'downgrade');
  t.equal(versionChange('1.30.0', '2.0.0'), 'major');
  t.throws(() => versionChange('1.30', '1.31.0'), /malformed/);
});

t.test('upgradeRefusal accepts a patch or the next minor and names both versions otherwise', async (t) => {
  t.equal(upgradeRefusal('1.30.0', '1.30.6'), undefined);
  t.equal(upgradeRefusal('1.30.0', '1.31.2'), undefined);
  t.match(upgradeRefusal('1.31.2', '1.30.0'), /1\.31\.2 → 1\.30\.0 is a downgrade/);
  t.match(upgradeRefusal('1.30.0', '1.32.0'), /1\.30\.0 → 1\.32\.0 skips a minor.*newest 1\.31\.x first/);
});

t.test('versionSkewNotice: explains a patch or minor change, refuses what new nodes could not join', async (t) => {
  t.equal(versionSkewNotice('1.30.0', '1.30.0'), undefined);
  const minor = versionSkewNotice('1.30.0', '1.31.2')!;
  t.equal(minor.refused, false);
  t.match(minor.lines[0], 'running nodes keep 1.30.0; new nodes will join at 1.31.2');
  t.match(minor.lines[2], 'upgrade running nodes'.replace('u', 'U'));
  t.match(minor.lines[2], 'a kubelet may not be newer than the API server');
  t.equal(versionSkewNotice('1.30.0', '1.30.5')!.refused, false);
  t.equal(versionSkewNotice('1.30.0', '1.32.0')!.refused, true);
  t.equal(versionSkewNotice('1.31.0', '1.30.0')!.refused, true);
});
