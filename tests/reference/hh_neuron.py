"""HH reference cases with NEURON's built-in hh mechanism.
Run: nrniv -nobanner -python tests/reference/hh_neuron.py   (writes JSON to stdout
after the marker line 'JSON:'). Debian's neuron package has no python
`neuron` module; the embedded interpreter exposes `hoc` directly."""
import hoc, json, math, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hh_common import CASES, resting_potential, stats

h = hoc.HocObject()
h.load_file('stdrun.hoc')
h('create soma')
soma = h.soma
d = 100.0 / math.sqrt(math.pi)      # um: area = pi d L = 1e4 um^2 = 1e-4 cm^2
soma.L = d
soma.diam = d
soma.nseg = 1
soma.cm = 1.0
soma.insert('hh')
seg = soma(0.5)
seg.hh.el = -54.3
h.usetable_hh = 0
area_um2 = h.area(0.5, sec=soma)
# 1 nA = 1e-3 uA over 1e-4 cm^2 = 10 uA/cm^2
NA_PER_UA_CM2 = area_um2 * 1e-8 * 1e3   # nA for 1 uA/cm^2

stim = h.IClamp(seg)
stim.delay = 0.0
stim.dur = 1e9
spk = h.Vector()
nc = h.NetCon(seg._ref_v, None, sec=soma)
nc.threshold = -20.0
nc.record(spk)

cv = h.CVode()
cv.active(1)
cv.atol(1e-10)
cv.rtol(0)
cv.condition_order(2)   # interpolate the threshold crossing time

vrest = resting_potential()
out = {"area_um2": area_um2, "nA_per_uA_cm2": NA_PER_UA_CM2,
       "vrest": vrest, "cases": {}}
for label, celsius, I in CASES:
    h.celsius = celsius
    stim.amp = I * NA_PER_UA_CM2
    h.finitialize(vrest)
    cv.re_init()
    h.continuerun(1000.0)
    st = stats(list(spk))
    st.update({"celsius": celsius, "I": I})
    out["cases"][label] = st
# drift check: I = 0 from vrest must stay at rest
stim.amp = 0.0
h.celsius = 6.3
h.finitialize(vrest)
h.continuerun(100.0)
out["rest_drift_mV"] = seg.v - vrest
print("JSON:" + json.dumps(out))
