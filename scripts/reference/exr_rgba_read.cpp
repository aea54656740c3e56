// Reads an OpenEXR file through OpenEXR's RGBA interface (RgbaInputFile),
// which turns luminance/chroma (Y, RY, BY) images into RGB with the file's
// chromaticities, and writes what it read as a plain RGBA half file (zip),
// the reference grade's tests compare with. Used by
// make_exr_yca_fixtures.py; not part of grade.
//
// Usage: exr_rgba_read IN OUT
//
// Build: g++ -O2 exr_rgba_read.cpp $(pkg-config --cflags --libs OpenEXR)

#include <ImfArray.h>
#include <ImfHeader.h>
#include <ImfRgbaFile.h>
#include <ImfStringAttribute.h>

#include <iostream>

using namespace Imf;

int main (int argc, char** argv)
{
    if (argc != 3)
    {
        std::cerr << "usage: exr_rgba_read IN OUT\n";
        return 2;
    }
    try
    {
        RgbaInputFile  in (argv[1]);
        Imath::Box2i   dw = in.dataWindow ();
        int            w  = dw.max.x - dw.min.x + 1;
        int            h  = dw.max.y - dw.min.y + 1;
        Array2D<Rgba>  px (h, w);
        in.setFrameBuffer (&px[0][0] - dw.min.x - dw.min.y * w, 1, w);
        in.readPixels (dw.min.y, dw.max.y);

        Header out (in.displayWindow (), dw);
        out.compression () = ZIP_COMPRESSION;
        out.insert (
            "software",
            StringAttribute ("make_exr_yca_fixtures.py (OpenEXR RgbaInputFile)"));
        RgbaOutputFile file (argv[2], out, WRITE_RGBA);
        file.setFrameBuffer (&px[0][0] - dw.min.x - dw.min.y * w, 1, w);
        file.writePixels (h);
    }
    catch (const std::exception& e)
    {
        std::cerr << "exr_rgba_read: " << e.what () << "\n";
        return 1;
    }
    return 0;
}
