package hyperbolic

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// Cross-check of the VJPs of the maps at a general point, scalar
// multiplication, gyration, transport, λ_x, the Minkowski inner product and
// the tangent projection against PyTorch's autograd through geoopt's
// formulas and clamps (stereographic/math.py, lorentz/math.py), with torch
// 1.13 (Debian python3-torch), float64, by this script
// (/usr/bin/python3 script.py). Each entry is the gradient of
// Σ g ⊙ f(inputs) with respect to the inputs in order, concatenated.
//
//	import torch
//	torch.set_default_dtype(torch.float64)
//	def tanh(x): return torch.tanh(x.clamp(-15, 15))
//	def artanh(x):
//	    x = x.clamp(-1 + 1e-7, 1 - 1e-7)
//	    return 0.5 * (torch.log1p(x) - torch.log1p(-x))
//	def nrm(x): return x.norm(dim=-1, keepdim=True)
//	def dot(a, b): return (a * b).sum(-1, keepdim=True)
//	def project(x, c, eps=1e-5):
//	    n = nrm(x).clamp_min(1e-15); maxn = (1 - eps) / c ** 0.5
//	    return torch.where(n > maxn, x / n * maxn, x)
//	def lam(x, c): return 2 / (1 - c * dot(x, x)).clamp_min(1e-15)
//	def madd(x, y, c):
//	    x2, y2, xy = dot(x, x), dot(y, y), dot(x, y)
//	    num = (1 + 2*c*xy + c*y2) * x + (1 - c*x2) * y
//	    return num / (1 + 2*c*xy + c**2 * x2 * y2).clamp_min(1e-15)
//	def expmap(x, u, c):
//	    sc = c ** 0.5; n = nrm(u).clamp_min(1e-15)
//	    return project(madd(x, tanh(sc * lam(x, c) * n / 2) / sc * u / n, c), c)
//	def logmap(x, y, c):
//	    sc = c ** 0.5; sub = madd(-x, y, c); n = nrm(sub).clamp_min(1e-15)
//	    return 2 / lam(x, c) * artanh(sc * n) / sc * sub / n
//	def gyration(u, v, w, c):
//	    k = -c; K2 = k**2
//	    u2, v2, uv, uw, vw = dot(u, u), dot(v, v), dot(u, v), dot(u, w), dot(v, w)
//	    a = -K2*uw*v2 - k*vw + 2*K2*uv*vw; b = -K2*vw*u2 + k*uw; d = 1 - 2*k*uv + K2*u2*v2
//	    return w + 2*(a*u + b*v) / d.clamp_min(1e-15)
//	def transp(x, y, v, c): return gyration(y, -x, v, c) * lam(x, c) / lam(y, c)
//	def smul(r, x, c):
//	    sc = c ** 0.5; n = nrm(x).clamp_min(1e-15)
//	    return project(tanh(r * artanh(sc * n)) / sc * x / n, c)
//	def arcosh(x): return torch.log(x + torch.sqrt((x*x - 1).clamp_min(1e-15)))
//	def linner(u, v): return -u[..., :1]*v[..., :1] + (u[..., 1:]*v[..., 1:]).sum(-1, keepdim=True)
//	def lnorm(u): return torch.sqrt(linner(u, u).clamp_min(1e-8))
//	def lexpmap(x, u, k):
//	    n = lnorm(u); rk = k ** 0.5
//	    return torch.cosh(n / rk) * x + rk * torch.sinh(n / rk) * u / n
//	def llogmap(x, y, k):
//	    d = k ** 0.5 * arcosh(-linner(x, y) / k); v = y + linner(x, y) / k * x
//	    return d * v / lnorm(v)
//	def lproju(x, v, k): return v + linner(x, v) * x / k
//
//	T = lambda a: torch.tensor(a)
//	x = T([[0.1, -0.3, 0.25], [0.6, 0.5, -0.55]])
//	y = T([[-0.4, 0.2, 0.5], [0.61, 0.52, -0.5]])
//	v = T([[0.2, 0.5, -0.3], [-1.0, 0.25, 0.5]])
//	g = T([[0.7, -0.2, 1.1], [-0.5, 0.9, 0.3]])
//	g1 = T([[1.3], [-0.6]])
//	def golist(name, *ts):
//	    vals = [float(t) for a in ts for t in a.detach().reshape(-1)]
//	    print("%s: {%s}," % (name, ", ".join(repr(t) for t in vals)))
//	def grads(f, gg, *args):
//	    leaves = [a.clone().requires_grad_(True) for a in args]
//	    out = f(*leaves)
//	    return torch.autograd.grad((out * gg).sum(), leaves)
//	for c in (1.0, 0.7):
//	    xs, ys = x / c ** 0.5, y / c ** 0.5
//	    print("// c =", c)
//	    golist('"Expmap"', *grads(lambda a, b: expmap(a, b, c), g, xs, v))
//	    golist('"Logmap"', *grads(lambda a, b: logmap(a, b, c), g, xs, ys))
//	    golist('"MobiusScalarMul"', *grads(lambda r, a: smul(r, a, c), g, T(-1.7), xs))
//	    golist('"Gyration"', *grads(lambda a, b, w: gyration(a, b, w, c), g, xs, ys, v))
//	    golist('"Transp"', *grads(lambda a, b, w: transp(a, b, w, c), g, xs, ys, v))
//	    golist('"Lambda"', *grads(lambda a: lam(a, c), g1, xs))
//	k = 1.5
//	def lproject(p): return torch.cat([torch.sqrt(k + (p[..., 1:]**2).sum(-1, keepdim=True)), p[..., 1:]], -1)
//	lx = lproject(torch.cat([torch.zeros(2, 1), x * 3], -1))
//	ly = lproject(torch.cat([torch.zeros(2, 1), y * 2], -1))
//	lu = lproju(lx, torch.cat([torch.ones(2, 1), v], -1), k)
//	lg = torch.cat([T([[0.4], [-0.8]]), g], -1)
//	print("// Lorentz k =", k)
//	golist('"Inner"', *grads(lambda a, b: linner(a, b), g1, lx, lu))
//	golist('"Proju"', *grads(lambda a, b: lproju(a, b, k), lg, lx, lu))
//	golist('"Expmap"', *grads(lambda a, b: lexpmap(a, b, k), lg, lx, lu))
//	golist('"Logmap"', *grads(lambda a, b: llogmap(a, b, k), lg, lx, ly))

var xcG = []float64{0.7, -0.2, 1.1, -0.5, 0.9, 0.3}

var geooptBallGrads = map[float64]map[string][]float64{
	1: {
		"Expmap":          {1.221492725405473, -0.19074863750332383, 1.6313293186248463, -1.963838334883702, -0.46943068982351044, 1.749865521465857, 1.2188655496390628, 0.1769029722845343, 1.222337915969906, 0.012121641034040889, -0.10922962613548987, 0.07885809513582673},
		"Logmap":          {-1.1144607237479611, 0.23101148424860057, -1.360574534088247, 0.06534478907580915, -0.8437221544938396, 0.16181257761731171, 1.1250214492170616, -0.5081423319616017, 0.4521668191435917, -0.17385051286067132, 0.7262958723297795, -0.04095690141803088},
		"MobiusScalarMul": {0.26362827073344236, -1.0051844026575467, 0.08892529550377104, -1.5117461944834643, 0.5126750383168379, -0.9466432242026376, -0.3047396119178607},
		"Gyration":        {-0.07795407482141908, -0.42777175463093287, 0.00021464079903164499, 0.3803019548164952, -0.684861810061798, -0.22819410594668071, 0.27919948197840394, 0.4091264331295992, 0.30088857054467516, -0.3759168805624398, 0.6853453278597078, 0.23162649442857466, 0.3503060656649972, 0.1583750695603784, 1.261825264329438, -0.5180521339382157, 0.8846088364657594, 0.31478435947288835},
		"Transp":          {-0.15403417617902598, -0.16105567941338095, 0.005744651317473037, 24.843117035505415, 10.609214794192994, -19.760411894638246, -0.007617393486294297, 0.3372468000040302, 0.520194372066699, -19.82449791645327, -6.386698904613013, 13.518452807716761, 0.21948048395773118, 0.11738254360451858, 0.8297413360807446, -1.029813947463115, 0.6973705649514228, 0.43468775818639793},
		"Lambda":          {0.7413677879260414, -2.224103363778124, 1.8534194698151034, -188.0816326530616, -156.73469387755134, 172.40816326530648},
	},
	0.7: {
		"Expmap":          {1.0830972897893147, -0.17368779027809422, 1.471969799143742, -1.963838334883702, -0.4694306898235103, 1.749865521465857, 1.176106857637315, 0.11832752007981917, 1.2403044685195892, 0.014488132155967458, -0.1305543741440371, 0.09425345138395345},
		"Logmap":          {-1.1144607237479611, 0.23101148424860107, -1.3605745340882471, 0.06534478907580804, -0.8437221544938398, 0.16181257761731418, 1.1250214492170616, -0.508142331961602, 0.4521668191435918, -0.1738505128606711, 0.7262958723297795, -0.04095690141803221},
		"MobiusScalarMul": {0.3150960514099633, -1.0051844026575467, 0.08892529550377087, -1.5117461944834643, 0.512675038316838, -0.9466432242026377, -0.3047396119178607},
		"Gyration":        {-0.06522105830852784, -0.3578995275800443, 0.00017958137661298716, 0.3181834436077298, -0.5729965001784794, -0.19092088673626967, 0.23359504600035166, 0.34229973239800215, 0.2517414394157079, -0.31451462726597784, 0.5734010401921079, 0.1937926289746063, 0.35030606566499717, 0.15837506956037836, 1.261825264329438, -0.5180521339382157, 0.8846088364657593, 0.31478435947288835},
		"Transp":          {-0.1288742379290984, -0.13474884901146295, 0.004806320123705979, 20.78524295811515, 8.876305931215215, -16.53274674009232, -0.006373168636363349, 0.28216091663990395, 0.435225837136201, -16.58636495280454, -5.343495674998625, 11.31034908480395, 0.21948048395773118, 0.11738254360451864, 0.8297413360807447, -1.0298139474631176, 0.6973705649514224, 0.4346877581863988},
		"Lambda":          {0.6202727931177107, -1.8608183793531317, 1.5506819827942764, -157.36038376608232, -131.13365313840194, 144.24701845224217},
	},
}

var geooptLorentzGrads = map[string][]float64{
	"Inner":  {2.1848950416805177, -0.34740977642952126, 2.472229329288563, -1.908524441073803, -6.089839567604535, 4.463871654083628, 3.0698930450696906, -3.84188234957666, -2.237548882147606, 0.39000000000000007, -1.17, 0.9750000000000001, 1.8698930450696905, -1.0799999999999998, -0.8999999999999999, 0.99},
	"Proju":  {2.1327674562458436, -0.339121216816268, 2.4132464751385188, -1.8629905509059175, -17.17463813105272, 12.589064042044496, 8.657748954599601, -10.834922392218683, -1.7841650727227392, 1.080695315824468, -1.342085947473404, 2.05173828956117, 4.473494652253485, -3.5458288721115045, -1.6381907267595874, 3.092009799435546},
	"Expmap": {0.8746565734105753, 1.5306490034685065, -0.43732828670528767, 2.405305576879082, -14.747933914816366, -9.217458696760229, 16.59142565416841, 5.530475218056137, 2.1752156228071797, 0.7008759166354649, 1.5666869956276916, 0.08677443480036406, -28.24820794135693, 15.161209102092627, 16.77511685899666, -13.71385480276587},
	"Logmap": {-4.85600032264958, -1.062832401991217, -1.0205826220589873, 0.3251802411752318, 18.570145003000192, -9.600107258190828, -9.414354061698223, 8.794263939256238, -1.6559414486535289, 0.3750882450531151, -0.5725851670160791, 1.787418806579924, 12.799773661099646, -8.008014229775284, -5.4821407167435705, 6.710267625882109},
}

func TestGeooptGradCrossCheckBall(t *testing.T) {
	const d = 3
	g1 := []float64{1.3, -0.6}
	for c, want := range geooptBallGrads {
		b := Ball{C: c}
		x, y := make([]float64, 6), make([]float64, 6)
		scaleTo(x, xcX, 1/math.Sqrt(c))
		scaleTo(y, xcY, 1/math.Sqrt(c))
		smx, smr := b.MobiusScalarMulVJP(nil, -1.7, x, xcG, d)
		got := map[string][]float64{
			"Expmap":          concat(b.ExpmapVJP(nil, nil, x, xcV, xcG, d)),
			"Logmap":          concat(b.LogmapVJP(nil, nil, x, y, xcG, d)),
			"MobiusScalarMul": concat([]float64{smr}, smx),
			"Gyration":        concat(b.GyrationVJP(nil, nil, nil, x, y, xcV, xcG, d)),
			"Transp":          concat(b.TranspVJP(nil, nil, nil, x, y, xcV, xcG, d)),
			"Lambda":          b.LambdaVJP(nil, x, g1, d),
		}
		require.Len(t, got, len(want))
		for name, w := range want {
			requireClose(t, fmt.Sprintf("%sVJP c=%v", name, c), got[name], w, 1e-13, 1e-11)
		}
	}
}

func TestGeooptGradCrossCheckLorentz(t *testing.T) {
	const d = 4
	l := Lorentz{K: 1.5}
	x, y, u := geooptLorentz["points x"], geooptLorentz["points y"], geooptLorentz["tangent u"]
	g := []float64{0.4, 0.7, -0.2, 1.1, -0.8, -0.5, 0.9, 0.3}
	want := geooptLorentzGrads
	requireClose(t, "InnerVJP", concat(l.InnerVJP(nil, nil, x, u, []float64{1.3, -0.6}, d)), want["Inner"], 1e-13, 1e-11)
	requireClose(t, "ProjuVJP", concat(l.ProjuVJP(nil, nil, x, u, g, d)), want["Proju"], 1e-13, 1e-11)
	requireClose(t, "ExpmapVJP", concat(l.ExpmapVJP(nil, nil, x, u, g, d)), want["Expmap"], 1e-12, 1e-11)
	requireClose(t, "LogmapVJP", concat(l.LogmapVJP(nil, nil, x, y, g, d)), want["Logmap"], 1e-12, 1e-10)
}
