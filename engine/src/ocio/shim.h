/* C interface to OpenColorIO for grade-engine (engine/src/ocio/mod.rs).
 *
 * Keep in sync with the `extern "C"` block in engine/src/ocio/ffi.rs.
 *
 * No C++ exception crosses this boundary: every entry point that can fail
 * returns NULL or a non-zero status and, through `err`, a message allocated
 * with malloc that the caller frees with grade_ocio_free_string. `err_kind`
 * tells a file that OpenColorIO could not read (GRADE_OCIO_ERR_FILE) from
 * anything else (GRADE_OCIO_ERR_OTHER). */
#ifndef GRADE_OCIO_SHIM_H
#define GRADE_OCIO_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct grade_ocio_processor grade_ocio_processor;

enum {
    GRADE_OCIO_OK = 0,
    GRADE_OCIO_ERR_FILE = 1,
    GRADE_OCIO_ERR_OTHER = 2,
};

/* Optimisation levels, as OCIO's OptimizationFlags. */
enum {
    GRADE_OCIO_OPT_NONE = 0,
    GRADE_OCIO_OPT_LOSSLESS = 1,
    GRADE_OCIO_OPT_DEFAULT = 2,
};

/* FileTransform interpolation. */
enum {
    GRADE_OCIO_INTERP_BEST = 0,
    GRADE_OCIO_INTERP_TETRAHEDRAL = 1,
    GRADE_OCIO_INTERP_TRILINEAR = 2,
    GRADE_OCIO_INTERP_LINEAR = 3,
};

const char *grade_ocio_version(void);
void grade_ocio_free_string(char *s);
void grade_ocio_free(grade_ocio_processor *p);

/* style: 0 CDL_ASC, 1 CDL_NO_CLAMP. inverse: 0 forward, 1 inverse. */
grade_ocio_processor *grade_ocio_cdl(const double slope[3], const double offset[3],
                                     const double power[3], double sat, int style,
                                     int inverse, int optimization, int *err_kind,
                                     char **err);

/* ccc_id may be NULL. */
grade_ocio_processor *grade_ocio_file(const char *path, const char *ccc_id, int interp,
                                      int inverse, int optimization, int *err_kind,
                                      char **err);

grade_ocio_processor *grade_ocio_config_colorspaces(const char *config, const char *from,
                                                    const char *to, int optimization,
                                                    int *err_kind, char **err);

grade_ocio_processor *grade_ocio_config_display(const char *config, const char *from,
                                                const char *display, const char *view,
                                                int inverse, int optimization, int *err_kind,
                                                char **err);

grade_ocio_processor *grade_ocio_config_look(const char *config, const char *looks,
                                             const char *from, const char *to, int inverse,
                                             int optimization, int *err_kind, char **err);

/* Rebuilds the CPU processor of `p` at another optimisation level. */
int grade_ocio_set_optimization(grade_ocio_processor *p, int optimization, char **err);

/* Applies `p` in place to `width * height` packed RGBA f32 pixels. */
int grade_ocio_apply_rgba(const grade_ocio_processor *p, float *rgba, long width, long height,
                          char **err);

/* Names in a config, one per line, each prefixed by its kind, fields
 * separated by tabs (tabs and line breaks inside names become spaces):
 *   c <colour space> <family> <encoding> <uniform|lg2> <allocation vars, comma-separated> <description>
 *   a <alias> <colour space>
 *   r <role> <colour space>
 *   l <look> <process space> <description>
 *   d <display>
 *   v <display> <view>
 * The result is freed with grade_ocio_free_string. */
char *grade_ocio_config_names(const char *config, int *err_kind, char **err);

/* The transforms of the processor rebuilt at `optimization`
 * (Processor::getOptimizedProcessor then createGroupTransform, nested
 * forward groups flattened), one line each, tokens separated by spaces.
 * The first token is the direction, `f` or `i`; then the kind and its
 * numbers (doubles printed with 17 significant digits, LUT entries as
 * floats with 9, so both read back exactly):
 *   matrix m[16] (row-major 4x4) offset[4]
 *   cdl asc|noclamp slope[3] offset[3] power[3] sat
 *   lut1d linear|nearest half_domain(0|1) hue_adjust(0|1) n values[3n]
 *   lut3d tetrahedral|trilinear n values[3n^3] (red fastest, blue slowest)
 *   range clamp|noclamp min_in max_in min_out max_out ("-" where unset)
 *   log base
 *   logaffine base log_slope[3] log_offset[3] lin_slope[3] lin_offset[3]
 *   logcamera base log_slope[3] log_offset[3] lin_slope[3] lin_offset[3]
 *             lin_break[3] has_linear_slope(0|1) linear_slope[3]
 *   exponent clamp|mirror|passthru value[4]
 *   exponentlinear linear|mirror gamma[4] offset[4]
 *   aces <FixedFunction style> n params[n]   (the ACES 1.x styles: ACES_RedMod03,
 *        ACES_RedMod10, ACES_Glow03, ACES_Glow10, ACES_DarkToDim10, ACES_GamutComp13)
 *   rgbcurve lin|log|video bypass_lin_to_log(0|1), then for red, green, blue and
 *        master: n x0 y0 ... x(n-1) y(n-1) slope[n] (floats)
 *   fixed <style as FixedFunctionStyleToString names it> params...   (the other styles)
 *   exposurecontrast linear|video|log exposure contrast gamma pivot
 *             log_exposure_step log_mid_gray
 *   gradingprimary log|lin|video brightness[4] contrast[4] gamma[4] offset[4]
 *             exposure[4] lift[4] gain[4] (each r g b master) pivot saturation
 *             clamp_white clamp_black pivot_white pivot_black
 *   gradingtone log|lin|video blacks[6] shadows[6] midtones[6] highlights[6]
 *             whites[6] (each r g b master start width) s_contrast
 *   other <Name>   (anything else: Group, Transform)
 * Freed with grade_ocio_free_string. */
char *grade_ocio_describe(const grade_ocio_processor *p, int optimization, int *err_kind,
                          char **err);

/* A processor for transforms [start, end) of the list grade_ocio_describe
 * gives at the same `optimization`, built in the same config. */
grade_ocio_processor *grade_ocio_span(const grade_ocio_processor *p, int optimization,
                                      long start, long end, int *err_kind, char **err);

#ifdef __cplusplus
}
#endif

#endif
