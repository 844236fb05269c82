// SPDX-License-Identifier: MIT
#pragma once

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

namespace ecrlp {

/// Parses one `aws ecr batch-get-image` output (`{"images": [...], "failures": [...]}`) into the
/// image indexes it holds (spec 2.7), in input order.
///
/// Each `images[]` entry's `imageManifest` is a JSON text inside a JSON string; it is read as an
/// image index or manifest list when its own `mediaType`, or the entry's `imageManifestMediaType`,
/// is an index type (is_index_media_type()), or when it has no `mediaType` but a `manifests`
/// array. For those, `imageId.imageDigest` and every `manifests[].digest` are recorded; other
/// entries (single-image manifests, artifacts) are checked for shape and otherwise ignored.
/// `failures[]` entries become warnings (`manifest.failure`); a digest listed twice gives the
/// warning `manifest.duplicate` and its first listing is kept.
///
/// Errors (`manifest.syntax`, `manifest.type`, `manifest.field`, `manifest.too_deep`,
/// `manifest.too_many_values`) name the file, a JSON pointer and the line and column in the file.
/// Inside an `imageManifest` the pointer continues into the embedded text
/// (`/images/2/imageManifest/manifests/0/digest`) and the line and column are those of the
/// character of the string literal that encodes the place. `value` is set only when there is no
/// error. Never throws except std::bad_alloc.
[[nodiscard]] parse_result<std::vector<index_manifest>> parse_index_manifests(
    std::string_view json, std::string_view source_name = "<string>");

/// Reads several batch-get-image outputs (files) as parse_index_manifests() does, concatenating the
/// indexes in file order; a digest listed in two files gives `manifest.duplicate` (warning). A file
/// that cannot be read gives `io.read`, one larger than 64 MiB `io.too_large`. A file `-` is
/// standard input, named `<stdin>` in diagnostics.
[[nodiscard]] parse_result<std::vector<index_manifest>> load_index_manifests(
    std::span<const std::filesystem::path> files);

}  // namespace ecrlp
