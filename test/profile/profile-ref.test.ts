import { join } from 'node:path';
import t from 'tap';
import { profileRefToPath } from '../../src/profile/profile-ref.js';

t.test('bare names resolve to the bundled directory', async (t) => {
  t.equal(profileRefToPath('lab', '/pkg/profiles'), join('/pkg/profiles', 'lab.yaml'));
  t.equal(profileRefToPath('ha-3.v2', '/pkg/profiles'), join('/pkg/profiles', 'ha-3.v2.yaml'));
});

t.test('anything else is a path', async (t) => {
  for (const ref of ['lab.yaml', 'lab.yml', 'LAB.YAML', './lab', 'profiles/lab', '/etc/lab.yaml', '../x', '.hidden', 'sub\\lab']) {
    t.equal(profileRefToPath(ref, '/pkg/profiles'), ref, ref);
  }
});
