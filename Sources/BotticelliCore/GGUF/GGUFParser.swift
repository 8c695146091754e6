/// The state of one pass over a header; ``GGUFReader`` is its public face.
struct GGUFParser {
    var cursor: GGUFCursor

    init(cursor: GGUFCursor) {
        self.cursor = cursor
    }

    mutating func parse() throws -> GGUFFile {
        let magic = try cursor.take(4, "magic")
        guard magic.elementsEqual(Array("GGUF".utf8)) else {
            throw GGUFError(
                kind: .badMagic, field: "magic", offset: 0, expected: "\"GGUF\" (47 47 55 46)",
                found: magic.map { String($0, radix: 16) }.joined(separator: " "))
        }
        let version = try cursor.readUInt32("version")
        guard GGUFReader.supportedVersions.contains(version) else {
            let swapped = version.byteSwapped
            throw GGUFError(
                kind: GGUFReader.supportedVersions.contains(swapped) ? .bigEndian : .unsupportedVersion,
                field: "version", offset: 4, expected: "2 or 3 (little-endian)", found: "\(version)")
        }
        let tensorCount = try readCount("tensor count", minimumEntrySize: 24)
        let metadataCount = try readCount("metadata count", minimumEntrySize: 13)

        var metadata: [GGUFMetadataEntry] = []
        var keys: [String: Int] = [:]
        var alignment = GGUFReader.defaultAlignment
        for index in 0..<metadataCount {
            let keyOffset = cursor.position
            let key = try cursor.readString("metadata key #\(index)")
            guard keys[key] == nil else {
                throw GGUFError(
                    kind: .duplicateKey, field: "metadata key #\(index)", offset: keyOffset,
                    expected: "a key not seen before", found: "\"\(key)\" again")
            }
            let valueOffset = cursor.position
            let value = try readTypedValue("metadata \"\(key)\"", depth: 0)
            if key == "general.alignment" {
                alignment = try checkedAlignment(value, offset: valueOffset)
            }
            keys[key] = metadata.count
            metadata.append(GGUFMetadataEntry(key: key, value: value))
        }

        var tensors: [GGUFTensorInfo] = []
        var offsetFields: [UInt64] = []
        var tensorNames: Set<String> = []
        for index in 0..<tensorCount {
            let nameOffset = cursor.position
            let (tensor, offsetField) = try readTensorInfo(index: index)
            guard tensorNames.insert(tensor.name).inserted else {
                throw GGUFError(
                    kind: .duplicateTensorName, field: "tensor #\(index) name", offset: nameOffset,
                    expected: "a name not seen before", found: "\"\(tensor.name)\" again")
            }
            tensors.append(tensor)
            offsetFields.append(offsetField)
        }

        let headerEnd = cursor.position
        let padding = (alignment - headerEnd % alignment) % alignment
        // headerEnd <= file size, and alignment <= UInt32.max, so this cannot overflow.
        let dataOffset = headerEnd + padding
        if !tensors.isEmpty && dataOffset > cursor.size {
            throw GGUFError(
                kind: .truncated, field: "data section", offset: headerEnd,
                expected: "tensor data from byte \(dataOffset)", found: "the end of the file at \(cursor.size)")
        }
        try checkTensorPlacement(tensors, offsetFields: offsetFields, dataOffset: dataOffset, alignment: alignment)
        return GGUFFile(
            version: version, metadata: metadata, tensors: tensors, alignment: alignment, dataOffset: dataOffset,
            fileSize: cursor.size)
    }

    /// A 64-bit count whose entries each take at least `minimumEntrySize` bytes, so it cannot exceed what is left.
    private mutating func readCount(_ field: String, minimumEntrySize: UInt64) throws -> UInt64 {
        let offset = cursor.position
        let count = try cursor.readUInt64(field)
        let possible = cursor.remaining / minimumEntrySize
        guard count <= possible else {
            throw GGUFError(
                kind: .countTooLarge, field: field, offset: offset,
                expected: "at most \(possible) (the rest of the file holds no more)", found: "\(count)")
        }
        return count
    }

    private func checkedAlignment(_ value: GGUFValue, offset: UInt64) throws -> UInt64 {
        guard case .uint32(let alignment) = value, alignment != 0, alignment & (alignment - 1) == 0 else {
            throw GGUFError(
                kind: .invalidAlignment, field: "metadata \"general.alignment\"", offset: offset,
                expected: "a non-zero power of two stored as uint32", found: "\(value)")
        }
        return UInt64(alignment)
    }

    private mutating func readTypedValue(_ field: String, depth: Int) throws -> GGUFValue {
        let typeOffset = cursor.position
        let code = try cursor.readUInt32("\(field) type")
        guard let type = GGUFValueType(rawValue: code) else {
            throw GGUFError(
                kind: .unknownValueType, field: "\(field) type", offset: typeOffset,
                expected: "a value type from 0 to 12", found: "\(code)")
        }
        return try readValue(type, field, depth: depth)
    }

    /// `field` names the value in errors; it is built only when one is thrown, which matters for arrays of
    /// hundreds of thousands of tokens.
    private mutating func readValue(
        _ type: GGUFValueType, _ field: @autoclosure () -> String, depth: Int
    ) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.readUInt8(field()))
        case .int8: return .int8(Int8(bitPattern: try cursor.readUInt8(field())))
        case .uint16: return .uint16(try cursor.readUInt16(field()))
        case .int16: return .int16(Int16(bitPattern: try cursor.readUInt16(field())))
        case .uint32: return .uint32(try cursor.readUInt32(field()))
        case .int32: return .int32(Int32(bitPattern: try cursor.readUInt32(field())))
        case .float32: return .float32(Float(bitPattern: try cursor.readUInt32(field())))
        case .bool: return .bool(try cursor.readUInt8(field()) != 0)
        case .uint64: return .uint64(try cursor.readUInt64(field()))
        case .int64: return .int64(Int64(bitPattern: try cursor.readUInt64(field())))
        case .float64: return .float64(Double(bitPattern: try cursor.readUInt64(field())))
        case .string: return .string(try cursor.readString(field()))
        case .array: return .array(try readArray(field(), depth: depth + 1))
        }
    }

    private mutating func readArray(_ field: String, depth: Int) throws -> GGUFArray {
        let typeOffset = cursor.position
        guard depth <= GGUFReader.maximumNesting else {
            throw GGUFError(
                kind: .nestingTooDeep, field: "\(field) element type", offset: typeOffset,
                expected: "arrays nested at most \(GGUFReader.maximumNesting) deep", found: "depth \(depth)")
        }
        let code = try cursor.readUInt32("\(field) element type")
        guard let elementType = GGUFValueType(rawValue: code) else {
            throw GGUFError(
                kind: .unknownValueType, field: "\(field) element type", offset: typeOffset,
                expected: "a value type from 0 to 12", found: "\(code)")
        }
        let countOffset = cursor.position
        let count = try cursor.readUInt64("\(field) element count")
        let possible = min(cursor.remaining / elementType.minimumEncodedSize, GGUFReader.maximumArrayCount)
        guard count <= possible else {
            throw GGUFError(
                kind: .arrayTooLong, field: "\(field) element count", offset: countOffset,
                expected: "at most \(possible) \(elementType) elements (what is left of the file)",
                found: "\(count)")
        }
        var values: [GGUFValue] = []
        values.reserveCapacity(Int(count))
        for index in 0..<count {
            values.append(try readValue(elementType, "\(field)[\(index)]", depth: depth))
        }
        return GGUFArray(elementType: elementType, values: values)
    }

    /// One tensor description, and where its data offset field lies (for errors found later).
    private mutating func readTensorInfo(index: UInt64) throws -> (GGUFTensorInfo, UInt64) {
        let name = try cursor.readString("tensor #\(index) name")
        let field = "tensor \"\(name)\""
        let dimensionsOffset = cursor.position
        let dimensionCount = try cursor.readUInt32("\(field) dimension count")
        guard dimensionCount <= GGUFReader.maximumDimensions else {
            throw GGUFError(
                kind: .invalidTensorShape, field: "\(field) dimension count", offset: dimensionsOffset,
                expected: "at most \(GGUFReader.maximumDimensions)", found: "\(dimensionCount)")
        }
        var dimensions: [UInt64] = []
        var elementCount: UInt64 = 1
        for axis in 0..<dimensionCount {
            let offset = cursor.position
            let size = try cursor.readUInt64("\(field) dimension \(axis)")
            // ggml stores sizes as int64 and requires their product to fit one too.
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: size)
            guard size <= UInt64(Int64.max), !overflow, product <= UInt64(Int64.max) else {
                throw GGUFError(
                    kind: .invalidTensorShape, field: "\(field) dimension \(axis)", offset: offset,
                    expected: "an element count that fits a signed 64-bit integer", found: "\(size)")
            }
            elementCount = product
            dimensions.append(size)
        }
        let typeOffset = cursor.position
        let type = GGMLType(rawValue: try cursor.readUInt32("\(field) type"))
        var byteCount: UInt64?
        if let layout = type.layout {
            let rowLength = dimensions.first ?? 1
            guard rowLength % layout.blockSize == 0 else {
                throw GGUFError(
                    kind: .invalidTensorShape, field: "\(field) dimension 0", offset: typeOffset,
                    expected: "a multiple of \(layout.name)'s block size \(layout.blockSize)", found: "\(rowLength)")
            }
            let (bytes, overflow) = (elementCount / layout.blockSize).multipliedReportingOverflow(
                by: layout.bytesPerBlock)
            guard !overflow else {
                throw GGUFError(
                    kind: .invalidTensorShape, field: "\(field) size", offset: dimensionsOffset,
                    expected: "a byte size that fits 64 bits", found: "\(elementCount) \(layout.name) elements")
            }
            byteCount = bytes
        }
        let offsetField = cursor.position
        let offset = try cursor.readUInt64("\(field) data offset")
        let info = GGUFTensorInfo(
            name: name, dimensions: dimensions, type: type, offset: offset, elementCount: elementCount,
            byteCount: byteCount)
        return (info, offsetField)
    }

    private func checkTensorPlacement(
        _ tensors: [GGUFTensorInfo], offsetFields: [UInt64], dataOffset: UInt64, alignment: UInt64
    ) throws {
        for (tensor, offsetField) in zip(tensors, offsetFields) {
            let field = "tensor \"\(tensor.name)\" data offset"
            guard tensor.offset % alignment == 0 else {
                throw GGUFError(
                    kind: .misalignedTensorOffset, field: field, offset: offsetField,
                    expected: "a multiple of the alignment \(alignment)", found: "\(tensor.offset)")
            }
            let (start, startOverflow) = dataOffset.addingReportingOverflow(tensor.offset)
            let (end, endOverflow) = start.addingReportingOverflow(tensor.byteCount ?? 0)
            guard !startOverflow, !endOverflow, end <= cursor.size else {
                let extent =
                    tensor.byteCount.map { "\($0) bytes from byte \(tensor.offset)" } ?? "byte \(tensor.offset)"
                throw GGUFError(
                    kind: .tensorOutOfBounds, field: field, offset: offsetField,
                    expected: "data inside the file's \(cursor.size) bytes",
                    found: "\(extent) of the data section, which starts at byte \(dataOffset)")
            }
        }
    }
}
