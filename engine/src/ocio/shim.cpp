// OpenColorIO behind a C interface for grade-engine; see shim.h.
//
// Every entry point catches everything: an exception must never unwind into
// Rust. Processors are immutable once built, so one may be used from several
// threads at once (OCIO documents CPUProcessor::apply as thread-safe).

#include "shim.h"

#include <OpenColorIO/OpenColorIO.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

namespace OCIO = OCIO_NAMESPACE;

struct grade_ocio_processor {
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
grade_ocio_processor *wrap(const OCIO::ConstProcessorRcPtr &processor, int optimization) {
    grade_ocio_processor *p = new grade_ocio_processor;
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
        p = wrap(config->getProcessor(t), optimization);
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
        p = wrap(config->getProcessor(t), optimization);
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
            [&]() { p = wrap(cfg->getProcessor(from, to), optimization); });
    return p;
}

grade_ocio_processor *grade_ocio_config_display(const char *config, const char *from,
                                                const char *display, const char *view,
                                                int optimization, int *err_kind,
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
        p = wrap(cfg->getProcessor(t), optimization);
    });
    return p;
}

grade_ocio_processor *grade_ocio_config_look(const char *config, const char *looks,
                                             const char *from, const char *to,
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
        p = wrap(cfg->getProcessor(t), optimization);
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
            out += std::string("c\t") + cfg->getColorSpaceNameByIndex(i) + "\n";
        }
        for (int i = 0; i < cfg->getNumLooks(); ++i) {
            out += std::string("l\t") + cfg->getLookNameByIndex(i) + "\n";
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

} // extern "C"
