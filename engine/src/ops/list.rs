// The one list of colour ops. Everything that names every op is generated
// from it: the `Op` and `PreparedOp` enums and their matches, `OpKind` (the
// record kind), the style enums, the WGSL kind and style constants and the
// kernel's dispatch switch (`engine/src/gpu/compose.rs`), and the fast CPU
// executor's dispatch. The engine reads it here (`include!` in
// `ops/mod.rs`) and the build script reads the same file, so both see the
// same ops in the same order.
//
// One line per op: `Type module [StyleEnum: Style ...]`. `Type` is the op's
// data (in `ops/module/mod.rs`, implementing `OpData`), its prepared
// constants implement `Prepared` (`ops/module/prepared.rs`), and its WGSL
// is `ops/module/module.wgsl` defining `fn module_apply(v: vec3<f32>, op:
// OpRecord) -> vec3<f32>`. A style list makes the enum `StyleEnum` (its
// index goes into record flags bits 8..15, and WGSL gets
// `MODULE_STYLE_STYLE` constants). The order is the record kind: append,
// never reorder.
macro_rules! with_every_op {
    ($then:ident) => {
        $then! {
            Matrix matrix [],
            Cdl cdl [],
            Lut1d lut1d [],
            Lut3d lut3d [],
            Range range [],
            Log log [LogStyle: Log10 Log2 AntiLog10 AntiLog2 LinToLog LogToLin CameraLinToLog CameraLogToLin],
            Exponent exponent [ExponentStyle: BasicFwd BasicRev BasicMirrorFwd BasicMirrorRev BasicPassThruFwd BasicPassThruRev MonCurveFwd MonCurveRev MonCurveMirrorFwd MonCurveMirrorRev],
            Primary primary [],
            Aces aces [AcesStyle: RedMod03 RedMod10 Glow03 Glow10 DarkToDim10 GamutComp13],
            RgbCurve rgb_curve [RgbCurveStyle: Log Lin Video],
            ExposureContrast exposure_contrast [ExposureContrastStyle: LinearFwd LinearRev VideoFwd VideoRev LogFwd LogRev],
            ColourModel colour_model [ColourModelStyle: RgbToHsv HsvToRgb XyzToXyy XyyToXyz XyzToUvy UvyToXyz XyzToLuv LuvToXyz RgbToHsyLin HsyLinToRgb RgbToHsyLog HsyLogToRgb RgbToHsyVid HsyVidToRgb],
            GradingPrimary grading_primary [GradingPrimaryStyle: LogFwd LogRev LinFwd LinRev VideoFwd VideoRev],
            Surround surround [SurroundStyle: Rec2100Fwd Rec2100Inv],
            Pq pq [PqStyle: LinToPq PqToLin],
            GradingTone grading_tone [GradingToneStyle: LogFwd LogRev LinFwd LinRev VideoFwd VideoRev],
            LogCurve log_curve [LogCurveStyle: LinToGammaLog GammaLogToLin LinToDoubleLog DoubleLogToLin],
            Aces2 aces2 [Aces2Style: OutputTransform20 RgbToJmh20 TonescaleCompress20 GamutCompress20],
            HueCurve hue_curve [HueCurveStyle: LogFwd LogRev LinFwd LinRev VideoFwd VideoRev],
        }
    };
}
