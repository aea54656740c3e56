// OpenColorIO behind a C interface for grade-engine; see shim.h.
//
// Every entry point catches everything: an exception must never unwind into
// Rust. Processors are immutable once built, so one may be used from several
// threads at once (OCIO documents CPUProcessor::apply as thread-safe).

#include "shim.h"

#include <OpenColorIO/OpenColorIO.h>

#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace OCIO = OCIO_NAMESPACE;

struct grade_ocio_processor {
    // The config the processor was built in (a raw one for CDLs and files):
    // spans of the processor are rebuilt in it.
    OCIO::ConstConfigRcPtr config;
    OCIO::ConstProcessorRcPtr processor;
    OCIO::ConstCPUProcessorRcPtr cpu;
};

namespace {

char *copy_string(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out) {
        std::memcpy(out, s.c_str(), s.size() + 1);
    }
    return out;
}

void set_error(int *err_kind, char **err, int kind, const std::string &msg) {
    if (err_kind) {
        *err_kind = kind;
    }
    if (err) {
        *err = copy_string(msg);
    }
}

OCIO::OptimizationFlags optimization_flags(int level) {
    switch (level) {
    case GRADE_OCIO_OPT_NONE:
        return OCIO::OPTIMIZATION_NONE;
    case GRADE_OCIO_OPT_LOSSLESS:
        return OCIO::OPTIMIZATION_LOSSLESS;
    default:
        return OCIO::OPTIMIZATION_DEFAULT;
    }
}

OCIO::Interpolation interpolation(int interp) {
    switch (interp) {
    case GRADE_OCIO_INTERP_TETRAHEDRAL:
        return OCIO::INTERP_TETRAHEDRAL;
    case GRADE_OCIO_INTERP_TRILINEAR:
    case GRADE_OCIO_INTERP_LINEAR:
        return OCIO::INTERP_LINEAR;
    default:
        return OCIO::INTERP_BEST;
    }
}

OCIO::TransformDirection direction(int inverse) {
    return inverse ? OCIO::TRANSFORM_DIR_INVERSE : OCIO::TRANSFORM_DIR_FORWARD;
}

// Builds the wrapper for a processor; F32 RGBA in and out.
grade_ocio_processor *wrap(const OCIO::ConstConfigRcPtr &config,
                           const OCIO::ConstProcessorRcPtr &processor, int optimization) {
    grade_ocio_processor *p = new grade_ocio_processor;
    p->config = config;
    p->processor = processor;
    try {
        p->cpu = processor->getOptimizedCPUProcessor(OCIO::BIT_DEPTH_F32, OCIO::BIT_DEPTH_F32,
                                                     optimization_flags(optimization));
    } catch (...) {
        delete p;
        throw;
    }
    return p;
}

// Runs `body`, turning any exception into an error of kind `kind` (an
// exception that is not OCIO's is always GRADE_OCIO_ERR_OTHER). True when
// `body` returned normally.
template <typename F> bool guarded(int kind, int *err_kind, char **err, F body) {
    try {
        body();
        return true;
    } catch (const OCIO::Exception &e) {
        set_error(err_kind, err, kind, e.what());
    } catch (const std::exception &e) {
        set_error(err_kind, err, GRADE_OCIO_ERR_OTHER, e.what());
    } catch (...) {
        set_error(err_kind, err, GRADE_OCIO_ERR_OTHER, "unknown OpenColorIO error");
    }
    return false;
}

// A name or description on one tab-separated line: tabs and line breaks
// become spaces.
std::string field(const char *s) {
    std::string out = s ? s : "";
    for (char &c : out) {
        if (c == '\t' || c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return out;
}

// Numbers that read back to the same double (or float) exactly.
std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string numf(float v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
    return buf;
}

// The transforms of `p`'s processor at `optimization`, nested forward
// groups flattened.
void flatten(const OCIO::ConstTransformRcPtr &t, std::vector<OCIO::ConstTransformRcPtr> &out) {
    auto group = OCIO::DynamicPtrCast<const OCIO::GroupTransform>(t);
    if (group && group->getDirection() == OCIO::TRANSFORM_DIR_FORWARD) {
        for (int i = 0; i < group->getNumTransforms(); ++i) {
            flatten(group->getTransform(i), out);
        }
    } else {
        out.push_back(t);
    }
}

std::vector<OCIO::ConstTransformRcPtr> flat_transforms(const grade_ocio_processor *p,
                                                       int optimization) {
    OCIO::ConstProcessorRcPtr proc =
        p->processor->getOptimizedProcessor(optimization_flags(optimization));
    std::vector<OCIO::ConstTransformRcPtr> out;
    flatten(proc->createGroupTransform(), out);
    return out;
}

const char *negative_style(OCIO::NegativeStyle s) {
    switch (s) {
    case OCIO::NEGATIVE_CLAMP:
        return "clamp";
    case OCIO::NEGATIVE_MIRROR:
        return "mirror";
    case OCIO::NEGATIVE_PASS_THRU:
        return "passthru";
    case OCIO::NEGATIVE_LINEAR:
        return "linear";
    }
    return "unknown";
}

void nums(std::string &out, const double *v, int n) {
    for (int i = 0; i < n; ++i) {
        out += " " + num(v[i]);
    }
}

// The ACES 1.x fixed functions grade runs as its own op (ops/aces):
// `aces <Style> n params[n]`. False for every other style.
bool describe_aces(const OCIO::FixedFunctionTransform &ff, std::string &out) {
    switch (ff.getStyle()) {
    case OCIO::FIXED_FUNCTION_ACES_RED_MOD_03:
    case OCIO::FIXED_FUNCTION_ACES_RED_MOD_10:
    case OCIO::FIXED_FUNCTION_ACES_GLOW_03:
    case OCIO::FIXED_FUNCTION_ACES_GLOW_10:
    case OCIO::FIXED_FUNCTION_ACES_DARK_TO_DIM_10:
    case OCIO::FIXED_FUNCTION_ACES_GAMUT_COMP_13:
        break;
    default:
        return false;
    }
    std::vector<double> v(ff.getNumParams());
    if (!v.empty()) {
        ff.getParams(v.data());
    }
    out += std::string("aces ") + OCIO::FixedFunctionStyleToString(ff.getStyle()) + " " +
           std::to_string(v.size());
    nums(out, v.data(), static_cast<int>(v.size()));
    return true;
}

// `rgbcurve lin|log|video bypass_lin_to_log(0|1)`, then the red, green,
// blue and master curves, each `n x0 y0 ... x(n-1) y(n-1) slope[n]`.
void describe_rgb_curve(const OCIO::GradingRGBCurveTransform &c, std::string &out) {
    OCIO::GradingStyle style = c.getStyle();
    out += "rgbcurve ";
    out += style == OCIO::GRADING_LIN ? "lin" : style == OCIO::GRADING_LOG ? "log" : "video";
    out += c.getBypassLinToLog() ? " 1" : " 0";
    OCIO::ConstGradingRGBCurveRcPtr value = c.getValue();
    for (OCIO::RGBCurveType which :
         {OCIO::RGB_RED, OCIO::RGB_GREEN, OCIO::RGB_BLUE, OCIO::RGB_MASTER}) {
        OCIO::ConstGradingBSplineCurveRcPtr curve = value->getCurve(which);
        size_t n = curve->getNumControlPoints();
        out += " " + std::to_string(n);
        for (size_t i = 0; i < n; ++i) {
            const OCIO::GradingControlPoint &p = curve->getControlPoint(i);
            out += " " + numf(p.m_x) + " " + numf(p.m_y);
        }
        for (size_t i = 0; i < n; ++i) {
            out += " " + numf(curve->getSlope(i));
        }
    }
}

// One line per transform; the grammar is documented in shim.h.
// `fixed STYLE params...`: the style as OpenColorIO names it, then every
// parameter the transform holds (none for most styles).
void describe_fixed_function(const OCIO::FixedFunctionTransform &ff, std::string &out) {
    out += std::string("fixed ") + OCIO::FixedFunctionStyleToString(ff.getStyle());
    std::vector<double> params(ff.getNumParams());
    if (!params.empty()) {
        ff.getParams(params.data());
    }
    nums(out, params.data(), static_cast<int>(params.size()));
}

// `exposurecontrast linear|video|log exposure contrast gamma pivot
// log_exposure_step log_mid_gray`, dynamic properties at their values.
void describe_exposure_contrast(const OCIO::ExposureContrastTransform &ec, std::string &out) {
    switch (ec.getStyle()) {
    case OCIO::EXPOSURE_CONTRAST_VIDEO:
        out += "exposurecontrast video";
        break;
    case OCIO::EXPOSURE_CONTRAST_LOGARITHMIC:
        out += "exposurecontrast log";
        break;
    default:
        out += "exposurecontrast linear";
        break;
    }
    const double v[6] = {ec.getExposure(),        ec.getContrast(),
                         ec.getGamma(),           ec.getPivot(),
                         ec.getLogExposureStep(), ec.getLogMidGray()};
    nums(out, v, 6);
}

void rgbm(std::string &out, const OCIO::GradingRGBM &v) {
    const double a[4] = {v.m_red, v.m_green, v.m_blue, v.m_master};
    nums(out, a, 4);
}

// `gradingprimary log|lin|video brightness contrast gamma offset exposure
// lift gain (each r g b master) pivot saturation clamp_white clamp_black
// pivot_white pivot_black`.
void describe_grading_primary(const OCIO::GradingPrimaryTransform &gp, std::string &out) {
    switch (gp.getStyle()) {
    case OCIO::GRADING_LIN:
        out += "gradingprimary lin";
        break;
    case OCIO::GRADING_VIDEO:
        out += "gradingprimary video";
        break;
    default:
        out += "gradingprimary log";
        break;
    }
    const OCIO::GradingPrimary &v = gp.getValue();
    for (const OCIO::GradingRGBM *c :
         {&v.m_brightness, &v.m_contrast, &v.m_gamma, &v.m_offset, &v.m_exposure, &v.m_lift,
          &v.m_gain}) {
        rgbm(out, *c);
    }
    const double rest[6] = {v.m_pivot,      v.m_saturation, v.m_clampWhite,
                            v.m_clampBlack, v.m_pivotWhite, v.m_pivotBlack};
    nums(out, rest, 6);
}

// `gradingtone log|lin|video blacks shadows midtones highlights whites
// (each r g b master start width) s_contrast`.
void describe_grading_tone(const OCIO::GradingToneTransform &gt, std::string &out) {
    OCIO::GradingStyle style = gt.getStyle();
    out += "gradingtone ";
    out += style == OCIO::GRADING_LIN ? "lin" : style == OCIO::GRADING_VIDEO ? "video" : "log";
    const OCIO::GradingTone &v = gt.getValue();
    for (const OCIO::GradingRGBMSW *z :
         {&v.m_blacks, &v.m_shadows, &v.m_midtones, &v.m_highlights, &v.m_whites}) {
        const double a[6] = {z->m_red, z->m_green, z->m_blue, z->m_master, z->m_start, z->m_width};
        nums(out, a, 6);
    }
    nums(out, &v.m_scontrast, 1);
}

void describe(const OCIO::Transform &t, std::string &out) {
    out += t.getDirection() == OCIO::TRANSFORM_DIR_INVERSE ? "i " : "f ";
    if (auto m = dynamic_cast<const OCIO::MatrixTransform *>(&t)) {
        double m44[16], off[4];
        m->getMatrix(m44);
        m->getOffset(off);
        out += "matrix";
        nums(out, m44, 16);
        nums(out, off, 4);
    } else if (auto c = dynamic_cast<const OCIO::CDLTransform *>(&t)) {
        double v[3];
        out += c->getStyle() == OCIO::CDL_NO_CLAMP ? "cdl noclamp" : "cdl asc";
        c->getSlope(v);
        nums(out, v, 3);
        c->getOffset(v);
        nums(out, v, 3);
        c->getPower(v);
        nums(out, v, 3);
        out += " " + num(c->getSat());
    } else if (auto l = dynamic_cast<const OCIO::Lut1DTransform *>(&t)) {
        OCIO::Interpolation interp = l->getInterpolation();
        out += "lut1d ";
        out += interp == OCIO::INTERP_NEAREST ? "nearest" : "linear";
        out += l->getInputHalfDomain() ? " 1" : " 0";
        out += l->getHueAdjust() == OCIO::HUE_NONE ? " 0" : " 1";
        unsigned long n = l->getLength();
        out += " " + std::to_string(n);
        for (unsigned long i = 0; i < n; ++i) {
            float r, g, b;
            l->getValue(i, r, g, b);
            out += " " + numf(r) + " " + numf(g) + " " + numf(b);
        }
    } else if (auto l3 = dynamic_cast<const OCIO::Lut3DTransform *>(&t)) {
        // OCIO renders INTERP_BEST and INTERP_TETRAHEDRAL tetrahedrally and
        // every other interpolation trilinearly.
        OCIO::Interpolation interp = l3->getInterpolation();
        bool tetra = interp == OCIO::INTERP_BEST || interp == OCIO::INTERP_TETRAHEDRAL;
        out += tetra ? "lut3d tetrahedral" : "lut3d trilinear";
        unsigned long n = l3->getGridSize();
        out += " " + std::to_string(n);
        // Red fastest, blue slowest.
        for (unsigned long b = 0; b < n; ++b) {
            for (unsigned long g = 0; g < n; ++g) {
                for (unsigned long r = 0; r < n; ++r) {
                    float vr, vg, vb;
                    l3->getValue(r, g, b, vr, vg, vb);
                    out += " " + numf(vr) + " " + numf(vg) + " " + numf(vb);
                }
            }
        }
    } else if (auto r = dynamic_cast<const OCIO::RangeTransform *>(&t)) {
        out += r->getStyle() == OCIO::RANGE_NO_CLAMP ? "range noclamp" : "range clamp";
        out += " " + (r->hasMinInValue() ? num(r->getMinInValue()) : std::string("-"));
        out += " " + (r->hasMaxInValue() ? num(r->getMaxInValue()) : std::string("-"));
        out += " " + (r->hasMinOutValue() ? num(r->getMinOutValue()) : std::string("-"));
        out += " " + (r->hasMaxOutValue() ? num(r->getMaxOutValue()) : std::string("-"));
    } else if (auto lg = dynamic_cast<const OCIO::LogTransform *>(&t)) {
        out += "log " + num(lg->getBase());
    } else if (auto la = dynamic_cast<const OCIO::LogAffineTransform *>(&t)) {
        double v[3];
        out += "logaffine " + num(la->getBase());
        la->getLogSideSlopeValue(v);
        nums(out, v, 3);
        la->getLogSideOffsetValue(v);
        nums(out, v, 3);
        la->getLinSideSlopeValue(v);
        nums(out, v, 3);
        la->getLinSideOffsetValue(v);
        nums(out, v, 3);
    } else if (auto lc = dynamic_cast<const OCIO::LogCameraTransform *>(&t)) {
        double v[3];
        out += "logcamera " + num(lc->getBase());
        lc->getLogSideSlopeValue(v);
        nums(out, v, 3);
        lc->getLogSideOffsetValue(v);
        nums(out, v, 3);
        lc->getLinSideSlopeValue(v);
        nums(out, v, 3);
        lc->getLinSideOffsetValue(v);
        nums(out, v, 3);
        lc->getLinSideBreakValue(v);
        nums(out, v, 3);
        bool has = lc->getLinearSlopeValue(v);
        out += has ? " 1" : " 0";
        if (!has) {
            v[0] = v[1] = v[2] = 0.0;
        }
        nums(out, v, 3);
    } else if (auto e = dynamic_cast<const OCIO::ExponentTransform *>(&t)) {
        double v[4];
        e->getValue(v);
        out += std::string("exponent ") + negative_style(e->getNegativeStyle());
        nums(out, v, 4);
    } else if (auto el = dynamic_cast<const OCIO::ExponentWithLinearTransform *>(&t)) {
        double g[4], o[4];
        el->getGamma(g);
        el->getOffset(o);
        out += std::string("exponentlinear ") + negative_style(el->getNegativeStyle());
        nums(out, g, 4);
        nums(out, o, 4);
    } else if (auto ff = dynamic_cast<const OCIO::FixedFunctionTransform *>(&t)) {
        if (!describe_aces(*ff, out)) {
            describe_fixed_function(*ff, out);
        }
    } else if (auto ec = dynamic_cast<const OCIO::ExposureContrastTransform *>(&t)) {
        describe_exposure_contrast(*ec, out);
    } else if (auto gp = dynamic_cast<const OCIO::GradingPrimaryTransform *>(&t)) {
        describe_grading_primary(*gp, out);
    } else if (auto rc = dynamic_cast<const OCIO::GradingRGBCurveTransform *>(&t)) {
        describe_rgb_curve(*rc, out);
    } else if (auto gt = dynamic_cast<const OCIO::GradingToneTransform *>(&t)) {
        describe_grading_tone(*gt, out);
    } else if (dynamic_cast<const OCIO::GroupTransform *>(&t)) {
        out += "other Group";
    } else {
        out += "other Transform";
    }
    out += "\n";
}

// Loads a config; a failure is a problem with that file.
OCIO::ConstConfigRcPtr load_config(const char *config) {
    return OCIO::Config::CreateFromFile(config);
}

} // namespace

extern "C" {

const char *grade_ocio_version(void) { return OCIO::GetVersion(); }

void grade_ocio_free_string(char *s) { std::free(s); }

void grade_ocio_free(grade_ocio_processor *p) {
    try {
        delete p;
    } catch (...) {
    }
}

grade_ocio_processor *grade_ocio_cdl(const double slope[3], const double offset[3],
                                     const double power[3], double sat, int style,
                                     int inverse, int optimization, int *err_kind,
                                     char **err) {
    grade_ocio_processor *p = nullptr;
    guarded(GRADE_OCIO_ERR_OTHER, err_kind, err, [&]() {
        OCIO::CDLTransformRcPtr t = OCIO::CDLTransform::Create();
        t->setSlope(slope);
        t->setOffset(offset);
        t->setPower(power);
        t->setSat(sat);
        t->setStyle(style == 1 ? OCIO::CDL_NO_CLAMP : OCIO::CDL_ASC);
        t->setDirection(direction(inverse));
        OCIO::ConstConfigRcPtr config = OCIO::Config::CreateRaw();
        p = wrap(config, config->getProcessor(t), optimization);
    });
    return p;
}

grade_ocio_processor *grade_ocio_file(const char *path, const char *ccc_id, int interp,
                                      int inverse, int optimization, int *err_kind,
                                      char **err) {
    grade_ocio_processor *p = nullptr;
    guarded(GRADE_OCIO_ERR_FILE, err_kind, err, [&]() {
        OCIO::FileTransformRcPtr t = OCIO::FileTransform::Create();
        t->setSrc(path);
        if (ccc_id) {
            t->setCCCId(ccc_id);
        }
        t->setInterpolation(interpolation(interp));
        t->setDirection(direction(inverse));
        // A FileTransform needs a config only for its search path; the raw
        // config resolves an absolute path as it is.
        OCIO::ConstConfigRcPtr config = OCIO::Config::CreateRaw();
        p = wrap(config, config->getProcessor(t), optimization);
    });
    return p;
}

grade_ocio_processor *grade_ocio_config_colorspaces(const char *config, const char *from,
                                                    const char *to, int optimization,
                                                    int *err_kind, char **err) {
    OCIO::ConstConfigRcPtr cfg;
    if (!guarded(GRADE_OCIO_ERR_FILE, err_kind, err, [&]() { cfg = load_config(config); })) {
        return nullptr;
    }
    grade_ocio_processor *p = nullptr;
    guarded(GRADE_OCIO_ERR_OTHER, err_kind, err,
            [&]() { p = wrap(cfg, cfg->getProcessor(from, to), optimization); });
    return p;
}

grade_ocio_processor *grade_ocio_config_display(const char *config, const char *from,
                                                const char *display, const char *view,
                                                int inverse, int optimization, int *err_kind,
                                                char **err) {
    OCIO::ConstConfigRcPtr cfg;
    if (!guarded(GRADE_OCIO_ERR_FILE, err_kind, err, [&]() { cfg = load_config(config); })) {
        return nullptr;
    }
    grade_ocio_processor *p = nullptr;
    guarded(GRADE_OCIO_ERR_OTHER, err_kind, err, [&]() {
        OCIO::DisplayViewTransformRcPtr t = OCIO::DisplayViewTransform::Create();
        t->setSrc(from);
        t->setDisplay(display);
        t->setView(view);
        t->setDirection(direction(inverse));
        p = wrap(cfg, cfg->getProcessor(t), optimization);
    });
    return p;
}

grade_ocio_processor *grade_ocio_config_look(const char *config, const char *looks,
                                             const char *from, const char *to, int inverse,
                                             int optimization, int *err_kind, char **err) {
    OCIO::ConstConfigRcPtr cfg;
    if (!guarded(GRADE_OCIO_ERR_FILE, err_kind, err, [&]() { cfg = load_config(config); })) {
        return nullptr;
    }
    grade_ocio_processor *p = nullptr;
    guarded(GRADE_OCIO_ERR_OTHER, err_kind, err, [&]() {
        OCIO::LookTransformRcPtr t = OCIO::LookTransform::Create();
        t->setSrc(from);
        t->setDst(to);
        t->setLooks(looks);
        t->setDirection(direction(inverse));
        p = wrap(cfg, cfg->getProcessor(t), optimization);
    });
    return p;
}

int grade_ocio_set_optimization(grade_ocio_processor *p, int optimization, char **err) {
    int kind = GRADE_OCIO_OK;
    guarded(GRADE_OCIO_ERR_OTHER, &kind, err, [&]() {
        p->cpu = p->processor->getOptimizedCPUProcessor(
            OCIO::BIT_DEPTH_F32, OCIO::BIT_DEPTH_F32, optimization_flags(optimization));
    });
    return kind;
}

int grade_ocio_apply_rgba(const grade_ocio_processor *p, float *rgba, long width, long height,
                          char **err) {
    int kind = GRADE_OCIO_OK;
    guarded(GRADE_OCIO_ERR_OTHER, &kind, err, [&]() {
        OCIO::PackedImageDesc desc(rgba, width, height, 4);
        p->cpu->apply(desc);
    });
    return kind;
}

char *grade_ocio_config_names(const char *config, int *err_kind, char **err) {
    OCIO::ConstConfigRcPtr cfg;
    if (!guarded(GRADE_OCIO_ERR_FILE, err_kind, err, [&]() { cfg = load_config(config); })) {
        return nullptr;
    }
    std::string out;
    bool ok = guarded(GRADE_OCIO_ERR_OTHER, err_kind, err, [&]() {
        for (int i = 0; i < cfg->getNumColorSpaces(); ++i) {
            const char *name = cfg->getColorSpaceNameByIndex(i);
            OCIO::ConstColorSpaceRcPtr cs = cfg->getColorSpace(name);
            out += std::string("c\t") + field(name);
            if (cs) {
                out += "\t" + field(cs->getFamily()) + "\t" + field(cs->getEncoding()) + "\t";
                out += cs->getAllocation() == OCIO::ALLOCATION_LG2 ? "lg2" : "uniform";
                std::vector<float> vars(static_cast<size_t>(std::max(0, cs->getAllocationNumVars())));
                if (!vars.empty()) {
                    cs->getAllocationVars(vars.data());
                }
                out += "\t";
                for (size_t k = 0; k < vars.size(); ++k) {
                    out += (k ? "," : "") + num(vars[k]);
                }
                out += "\t" + field(cs->getDescription());
                for (size_t k = 0; k < cs->getNumAliases(); ++k) {
                    out += std::string("\na\t") + field(cs->getAlias(k)) + "\t" + field(name);
                }
            }
            out += "\n";
        }
        for (int i = 0; i < cfg->getNumRoles(); ++i) {
            out += std::string("r\t") + field(cfg->getRoleName(i)) + "\t" +
                   field(cfg->getRoleColorSpace(i)) + "\n";
        }
        for (int i = 0; i < cfg->getNumLooks(); ++i) {
            const char *name = cfg->getLookNameByIndex(i);
            OCIO::ConstLookRcPtr look = cfg->getLook(name);
            out += std::string("l\t") + field(name);
            if (look) {
                out += "\t" + field(look->getProcessSpace()) + "\t" + field(look->getDescription());
            }
            out += "\n";
        }
        for (int i = 0; i < cfg->getNumDisplays(); ++i) {
            std::string display = cfg->getDisplay(i);
            out += "d\t" + display + "\n";
            for (int j = 0; j < cfg->getNumViews(display.c_str()); ++j) {
                out += "v\t" + display + "\t" + cfg->getView(display.c_str(), j) + "\n";
            }
        }
    });
    if (!ok) {
        return nullptr;
    }
    char *s = copy_string(out);
    if (!s) {
        set_error(err_kind, err, GRADE_OCIO_ERR_OTHER, "out of memory");
    }
    return s;
}

char *grade_ocio_describe(const grade_ocio_processor *p, int optimization, int *err_kind,
                          char **err) {
    std::string out;
    bool ok = guarded(GRADE_OCIO_ERR_OTHER, err_kind, err, [&]() {
        for (const OCIO::ConstTransformRcPtr &t : flat_transforms(p, optimization)) {
            describe(*t, out);
        }
    });
    if (!ok) {
        return nullptr;
    }
    char *s = copy_string(out);
    if (!s) {
        set_error(err_kind, err, GRADE_OCIO_ERR_OTHER, "out of memory");
    }
    return s;
}

grade_ocio_processor *grade_ocio_span(const grade_ocio_processor *p, int optimization,
                                      long start, long end, int *err_kind, char **err) {
    grade_ocio_processor *span = nullptr;
    guarded(GRADE_OCIO_ERR_OTHER, err_kind, err, [&]() {
        std::vector<OCIO::ConstTransformRcPtr> all = flat_transforms(p, optimization);
        if (start < 0 || end < start || static_cast<size_t>(end) > all.size()) {
            throw std::runtime_error("span " + std::to_string(start) + ".." +
                                     std::to_string(end) + " is outside the " +
                                     std::to_string(all.size()) + " transforms");
        }
        OCIO::GroupTransformRcPtr group = OCIO::GroupTransform::Create();
        for (long i = start; i < end; ++i) {
            group->appendTransform(all[static_cast<size_t>(i)]->createEditableCopy());
        }
        span = wrap(p->config, p->config->getProcessor(group), optimization);
    });
    return span;
}

} // extern "C"
