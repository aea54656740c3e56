//! Extract lines from a block of pixel bytes.

use std::{io::Cursor, ops::Range};

use smallvec::SmallVec;

use crate::{
    block::BlockIndex,
    error::{Result, UnitResult},
    math::*,
    meta::attribute::ChannelList,
};

/// A single line of pixels.
/// Use [LineRef] or [LineRefMut] for easier type names.
#[derive(Clone, Copy, Eq, PartialEq, Debug)]
pub struct LineSlice<T> {
    // TODO also store enum SampleType, as it would always be matched in every place it is used
    /// Where this line is located inside the image.
    pub location: LineIndex,

    /// The raw bytes of the pixel line, either `&[u8]` or `&mut [u8]`.
    /// Must be re-interpreted as slice of f16, f32, or u32,
    /// according to the channel data type.
    pub value: T,
}

/// An reference to a single line of pixels.
/// May go across the whole image or just a tile section of it.
///
/// This line contains an immutable slice that all samples will be read from.
pub type LineRef<'s> = LineSlice<&'s [u8]>;

/// A reference to a single mutable line of pixels.
/// May go across the whole image or just a tile section of it.
///
/// This line contains a mutable slice that all samples will be written to.
pub type LineRefMut<'s> = LineSlice<&'s mut [u8]>;

/// Specifies where a row of pixels lies inside an image.
/// This is a globally unique identifier which includes
/// the layer, channel index, and pixel location.
#[derive(Clone, Copy, Eq, PartialEq, Debug, Hash)]
pub struct LineIndex {
    /// Index of the layer.
    pub layer: usize,

    /// The channel index of the layer.
    pub channel: usize,

    /// Index of the mip or rip level in the image.
    pub level: Vec2<usize>,

    /// Position of the most left pixel of the row.
    pub position: Vec2<usize>,

    /// The width of the line; the number of samples in this row,
    /// that is, the number of f16, f32, or u32 values.
    pub sample_count: usize,
}

impl LineIndex {
    /// Iterates the lines of this block index in interleaved fashion:
    /// For each line in this block, this iterator steps once through each
    /// channel. This is how lines are stored in a pixel data block.
    ///
    /// Does not check whether `self.layer_index`, `self.level`, `self.size` and
    /// `self.position` are valid indices.__
    // TODO be sure this cannot produce incorrect data, as this is not further checked but only
    // handled with panics
    #[inline]
    #[must_use]
    pub fn lines_in_block(
        block: BlockIndex,
        channels: &ChannelList,
    ) -> impl Iterator<Item = (Range<usize>, LineIndex)> {
        // Local change (PATCHES.md): sub-sampled channels have lines only
        // where y is a multiple of their y sampling, each holding the
        // samples whose x is a multiple of their x sampling, at position
        // (x / x sampling, y / y sampling) in the channel's own grid. The
        // block's position is relative to the data window, whose origin a
        // valid file keeps a multiple of every sampling rate, so relative
        // and absolute positions agree on which lines and samples exist.
        struct ChannelLine {
            bytes: usize,
            samples: usize,
            x: usize,
            y_sampling: usize,
        }

        struct LineIter {
            layer: usize,
            level: Vec2<usize>,
            end_y: usize,
            channels: SmallVec<[ChannelLine; 8]>,
            byte: usize,
            channel: usize,
            y: usize,
        }

        impl Iterator for LineIter {
            type Item = (Range<usize>, LineIndex);

            fn next(&mut self) -> Option<Self::Item> {
                while self.y < self.end_y && !self.channels.is_empty() {
                    let channel_index = self.channel;
                    let channel = &self.channels[channel_index];
                    let y = self.y;

                    self.channel += 1;
                    if self.channel == self.channels.len() {
                        self.channel = 0;
                        self.y += 1;
                    }

                    if y % channel.y_sampling != 0 {
                        continue;
                    }

                    let range = self.byte..self.byte + channel.bytes;
                    self.byte += channel.bytes;
                    return Some((
                        range,
                        LineIndex {
                            channel: channel_index,
                            layer: self.layer,
                            level: self.level,
                            position: Vec2(channel.x, y / channel.y_sampling),
                            sample_count: channel.samples,
                        },
                    ));
                }
                None
            }
        }

        let x = block.pixel_position.x();
        let width = block.pixel_size.width();
        let channel_lines: SmallVec<[ChannelLine; 8]> = channels
            .list
            .iter()
            .map(move |channel| {
                let x_sampling = channel.sampling.x().max(1);
                let samples = crate::meta::attribute::sample_positions(
                    x.min(i32::MAX as usize) as i32,
                    width,
                    x_sampling,
                );
                ChannelLine {
                    bytes: samples * channel.sample_type.bytes_per_sample(),
                    samples,
                    x: x.div_ceil(x_sampling),
                    y_sampling: channel.sampling.y().max(1),
                }
            })
            .collect();

        LineIter {
            layer: block.layer,
            level: block.level,
            end_y: block.pixel_position.y() + block.pixel_size.height(),
            channels: channel_lines,

            byte: 0,
            channel: 0,
            y: block.pixel_position.y(),
        }
    }
}

impl<'s> LineRefMut<'s> {
    /// Writes the samples (f16, f32, u32 values) into this line value
    /// reference. Use `write_samples` if there is no slice available.
    #[inline]
    #[must_use]
    pub fn write_samples_from_slice<T: crate::io::Data>(self, slice: &[T]) -> UnitResult {
        debug_assert_eq!(
            slice.len(),
            self.location.sample_count,
            "slice size does not match the line width"
        );
        debug_assert_eq!(
            self.value.len(),
            self.location.sample_count * T::BYTE_SIZE,
            "sample type size does not match line byte size"
        );

        T::write_slice_ne(&mut Cursor::new(self.value), slice)
    }

    /// Iterate over all samples in this line, from left to right.
    /// The supplied `get_line` function returns the sample value
    /// for a given sample index within the line,
    /// which starts at zero for each individual line.
    /// Use `write_samples_from_slice` if you already have a slice of samples.
    #[inline]
    #[must_use]
    pub fn write_samples<T: crate::io::Data>(
        self,
        mut get_sample: impl FnMut(usize) -> T,
    ) -> UnitResult {
        debug_assert_eq!(
            self.value.len(),
            self.location.sample_count * T::BYTE_SIZE,
            "sample type size does not match line byte size"
        );

        let mut write = Cursor::new(self.value);

        for index in 0..self.location.sample_count {
            T::write_ne(get_sample(index), &mut write)?;
        }

        Ok(())
    }
}

impl LineRef<'_> {
    /// Read the samples (f16, f32, u32 values) from this line value reference.
    /// Use `read_samples` if there is not slice available.
    pub fn read_samples_into_slice<T: crate::io::Data>(self, slice: &mut [T]) -> UnitResult {
        debug_assert_eq!(
            slice.len(),
            self.location.sample_count,
            "slice size does not match the line width"
        );
        // Local change (PATCHES.md): the line's bytes come from the file; a
        // damaged block whose size does not match is an error, not a debug
        // assertion.
        if Some(self.value.len()) != self.location.sample_count.checked_mul(T::BYTE_SIZE) {
            return Err(crate::error::Error::invalid(
                "line byte size does not match its sample type and count",
            ));
        }

        T::read_slice_ne(&mut Cursor::new(self.value), slice)
    }

    /// Iterate over all samples in this line, from left to right.
    /// Use `read_sample_into_slice` if you already have a slice of samples.
    pub fn read_samples<T: crate::io::Data>(&self) -> impl Iterator<Item = Result<T>> + '_ {
        debug_assert_eq!(
            self.value.len(),
            self.location.sample_count * T::BYTE_SIZE,
            "sample type size does not match line byte size"
        );

        let mut read = self.value; // FIXME deep data
        (0..self.location.sample_count).map(move |_| T::read_ne(&mut read))
    }
}
