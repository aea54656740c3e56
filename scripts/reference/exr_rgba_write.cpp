// Writes an OpenEXR file through OpenEXR's RGBA interface (RgbaOutputFile),
// the writer that produces luminance/chroma (Y, RY, BY) images: it converts
// RGB to Y and the two chroma channels with the header's chromaticities,
// filters and sub-samples the chroma 2x2, and rounds Y and chroma as
// OpenEXR does. Used by make_exr_yca_fixtures.py; not part of grade.
//
// Usage: exr_rgba_write OUT WIDTH HEIGHT CHANNELS COMPRESSION LINE_ORDER
//                       PRIMARIES TILES < pixels
//   CHANNELS     Y, YA, YC, YCA, RGB or RGBA
//   COMPRESSION  none, rle, zips, zip, piz, pxr24, b44 or b44a
//   LINE_ORDER   increasing or decreasing
//   PRIMARIES    rec709 (no chromaticities attribute) or p3 (P3-D65)
//   TILES        none, or WxH: a `tiles` attribute (a tile description)
//                in the header of this scanline file. Written through
//                MultiPartOutputFile (one part, type scanlineimage), which
//                sets the version field's tiled flag from the type; a
//                single-part OutputFile sets it from the tile description,
//                and OpenEXR then reads the scanline blocks as tiles and
//                fails. RGB and RGBA only.
//   pixels       WIDTH*HEIGHT RGBA float32 values, little-endian, rows
//                top to bottom, on standard input
//
// Build: g++ -O2 exr_rgba_write.cpp $(pkg-config --cflags --libs OpenEXR)

#include <ImfChromaticities.h>
#include <ImfChannelList.h>
#include <ImfFrameBuffer.h>
#include <ImfHeader.h>
#include <ImfMultiPartOutputFile.h>
#include <ImfOutputPart.h>
#include <ImfPartType.h>
#include <ImfRgbaFile.h>
#include <ImfStandardAttributes.h>
#include <ImfStringAttribute.h>
#include <ImfTileDescriptionAttribute.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

using namespace Imf;

static int fail (const std::string& msg)
{
    std::cerr << "exr_rgba_write: " << msg << "\n";
    return 2;
}

int main (int argc, char** argv)
{
    if (argc != 9) return fail ("expected 8 arguments (see the source)");
    const char* out = argv[1];
    int         w   = std::atoi (argv[2]);
    int         h   = std::atoi (argv[3]);
    std::string ch  = argv[4], comp = argv[5], order = argv[6];
    std::string prim = argv[7], tiles = argv[8];
    if (w <= 0 || h <= 0) return fail ("bad size");

    RgbaChannels channels;
    if (ch == "Y") channels = WRITE_Y;
    else if (ch == "YA") channels = WRITE_YA;
    else if (ch == "YC") channels = WRITE_YC;
    else if (ch == "YCA") channels = WRITE_YCA;
    else if (ch == "RGB") channels = WRITE_RGB;
    else if (ch == "RGBA") channels = WRITE_RGBA;
    else return fail ("unknown channels " + ch);

    Compression c;
    if (comp == "none") c = NO_COMPRESSION;
    else if (comp == "rle") c = RLE_COMPRESSION;
    else if (comp == "zips") c = ZIPS_COMPRESSION;
    else if (comp == "zip") c = ZIP_COMPRESSION;
    else if (comp == "piz") c = PIZ_COMPRESSION;
    else if (comp == "pxr24") c = PXR24_COMPRESSION;
    else if (comp == "b44") c = B44_COMPRESSION;
    else if (comp == "b44a") c = B44A_COMPRESSION;
    else return fail ("unknown compression " + comp);

    Header header (w, h);
    header.compression () = c;
    if (order == "decreasing") header.lineOrder () = DECREASING_Y;
    else if (order != "increasing") return fail ("unknown line order " + order);
    if (prim == "p3")
    {
        addChromaticities (
            header,
            Chromaticities (
                Imath::V2f (0.680f, 0.320f),
                Imath::V2f (0.265f, 0.690f),
                Imath::V2f (0.150f, 0.060f),
                Imath::V2f (0.3127f, 0.3290f)));
    }
    else if (prim != "rec709")
        return fail ("unknown primaries " + prim);
    if (tiles != "none")
    {
        int tw = 0, th = 0;
        if (std::sscanf (tiles.c_str (), "%dx%d", &tw, &th) != 2)
            return fail ("bad tile size " + tiles);
        header.insert (
            "tiles", TileDescriptionAttribute (TileDescription (tw, th)));
    }
    header.insert (
        "software",
        StringAttribute ("make_exr_yca_fixtures.py (OpenEXR RgbaOutputFile)"));

    std::vector<float> in (size_t (w) * h * 4);
    if (std::fread (in.data (), sizeof (float), in.size (), stdin) != in.size ())
        return fail ("short pixel input");
    std::vector<Rgba> px (size_t (w) * h);
    for (size_t i = 0; i < px.size (); ++i)
        px[i] = Rgba (in[4 * i], in[4 * i + 1], in[4 * i + 2], in[4 * i + 3]);

    try
    {
        if (tiles != "none")
        {
            if (channels != WRITE_RGB && channels != WRITE_RGBA)
                return fail ("a tile description needs RGB or RGBA");
            header.setType (SCANLINEIMAGE);
            const char* names[] = {"R", "G", "B", "A"};
            int         n       = channels == WRITE_RGBA ? 4 : 3;
            FrameBuffer fb;
            for (int k = 0; k < n; ++k)
            {
                header.channels ().insert (names[k], Channel (HALF));
                half* base = &px[0].r + k;
                fb.insert (
                    names[k],
                    Slice (HALF, (char*) base, sizeof (Rgba), sizeof (Rgba) * w));
            }
            MultiPartOutputFile file (out, &header, 1);
            OutputPart          part (file, 0);
            part.setFrameBuffer (fb);
            part.writePixels (h);
            return 0;
        }
        RgbaOutputFile file (out, header, channels);
        file.setFrameBuffer (px.data (), 1, w);
        file.writePixels (h);
    }
    catch (const std::exception& e)
    {
        return fail (e.what ());
    }
    return 0;
}
