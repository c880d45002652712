// Fast checks of the host-side readers for the guest probe and bootstrap log
// (no VM): the e2e asserts are only as good as these parsers.
import t from 'tap';
import { parseProbe, parseStat, parseSteps, sectionText } from '../helpers/vm-probe.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

t.test('parseProbe reads sections, exit codes and the end marker through CRLF noise', async (t) => {
  const log = [
    'boot noise before the probe',
    '@@PROBE BEGIN 1',
    '@@SECTION hostname 0',
    b64('e2e-cp-1\n'),
    '@@END hostname',
    '@@SECTION kubelet-enabled 1',
    b64('disabled\n').slice(0, 4),
    b64('disabled\n').slice(4),
    '@@END kubelet-enabled',
    '@@PROBE END',
    '',
  ].join('\r\n');
  const p = parseProbe(log);
  t.ok(p.complete);
  t.equal(sectionText(p, 'hostname'), 'e2e-cp-1\n');
  t.equal(p.sections.get('kubelet-enabled')?.rc, 1);
  t.equal(sectionText(p, 'kubelet-enabled'), 'disabled\n', 'base64 split over lines');
});

t.test('parseProbe: a cut-off log is incomplete and drops the unfinished section', async (t) => {
  const p = parseProbe(['@@PROBE BEGIN 1', '@@SECTION files 0', b64('partial')].join('\n'));
  t.notOk(p.complete);
  t.notOk(p.sections.has('files'));
  t.notOk(parseProbe('').complete);
});

t.test('parseSteps: order, outcome and ISO timestamps', async (t) => {
  const steps = parseSteps(
    [
      '2026-11-27T04:48:26Z ==> step swap',
      'some output',
      '2026-11-27T04:48:27Z <== step swap ok',
      '2026-11-27T04:48:27Z ==> step kubeadm-join',
      '2026-11-27T04:50:27Z !!! step kubeadm-join failed (exit 1)',
    ].join('\n'),
  );
  t.same(
    steps.map((s) => [s.name, s.ok, s.failed]),
    [
      ['swap', true, false],
      ['kubeadm-join', false, true],
    ],
  );
  const join = steps[1]!;
  t.equal(join.endTime! - join.startTime!, 120);
});

t.test('parseStat pads modes and keeps owners', async (t) => {
  const log = ['@@PROBE BEGIN 1', '@@SECTION stat 0', b64('600 root:root 1675 1795754959.1 f /etc/kubernetes/pki/ca.key\n'), '@@END stat', '@@PROBE END'].join('\n');
  const st = parseStat(parseProbe(log)).get('/etc/kubernetes/pki/ca.key');
  t.same(st && { mode: st.mode, owner: st.owner, type: st.type }, { mode: '0600', owner: 'root:root', type: 'f' });
});
