using System.Buffers.Binary;
using System.Text;

namespace Grokking.Runtime;

/// <summary>
/// Reads and patches the GNU symbol-versioning sections of 64-bit little-endian ELF shared objects.
/// Only what the libstdc++ compatibility check needs: the versions a library provides
/// (<c>.gnu.version_d</c>) and the versions it requires (<c>.gnu.version_r</c>).
/// </summary>
public static class ElfSymbolVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary><c>VER_FLG_WEAK</c>: glibc's loader only warns when a weak version is missing.</summary>
    public const ushort WeakFlag = 0x2;

    public static IReadOnlyList<string> ReadDefinitions(string path) => ReadDefinitions(File.ReadAllBytes(path));

    public static IReadOnlyList<ElfVersionNeed> ReadNeeds(string path) => ReadNeeds(File.ReadAllBytes(path));

    public static IReadOnlyList<string> ReadDefinitions(ReadOnlySpan<byte> elf)
    {
        var result = new List<string>();
        foreach (var section in Sections(elf))
        {
            if (section.Type != ShtGnuVerdef)
            {
                continue;
            }

            var strings = Sections(elf)[section.Link];
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                uint aux = U32(elf, entry + 12);
                uint next = U32(elf, entry + 16);
                uint nameOffset = U32(elf, entry + aux);
                result.Add(CString(elf, strings.Offset + nameOffset));
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return result;
    }

    public static IReadOnlyList<ElfVersionNeed> ReadNeeds(ReadOnlySpan<byte> elf)
    {
        var result = new List<ElfVersionNeed>();
        var sections = Sections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }

            var strings = sections[section.Link];
            long need = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                ushort count = U16(elf, need + 2);
                string file = CString(elf, strings.Offset + U32(elf, need + 4));
                long aux = need + U32(elf, need + 8);
                for (int j = 0; j < count; j++)
                {
                    ushort flags = U16(elf, aux + 4);
                    string version = CString(elf, strings.Offset + U32(elf, aux + 8));
                    result.Add(new ElfVersionNeed(file, version, (flags & WeakFlag) != 0, aux + 4));
                    uint auxNext = U32(elf, aux + 12);
                    if (auxNext == 0)
                    {
                        break;
                    }

                    aux += auxNext;
                }

                uint next = U32(elf, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return result;
    }

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on the given required versions, in a copy written beside the file and renamed
    /// over it, so a reader never sees half a library. Returns the number of entries changed (0: nothing to do).
    /// </summary>
    public static int MarkNeedsWeak(string path, IReadOnlyCollection<string> versions)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int changed = 0;
        foreach (var need in ReadNeeds(bytes))
        {
            if (!need.IsWeak && versions.Contains(need.Version))
            {
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)need.FlagsOffset));
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)need.FlagsOffset), (ushort)(flags | WeakFlag));
                changed++;
            }
        }

        if (changed > 0)
        {
            AtomicFile.WriteAllBytes(path, bytes, preserveModeOf: path);
        }

        return changed;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static Section[] Sections(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        }

        long shoff = (long)U64(elf, 0x28);
        ushort shentsize = U16(elf, 0x3A);
        ushort shnum = U16(elf, 0x3C);
        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + ((long)i * shentsize);
            sections[i] = new Section(U32(elf, h + 4), (long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20), U32(elf, h + 0x28), U32(elf, h + 0x2C));
        }

        return sections;
    }

    private static ushort U16(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b[(int)at..]);

    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b[(int)at..]);

    private static ulong U64(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b[(int)at..]);

    private static string CString(ReadOnlySpan<byte> b, long at)
    {
        var rest = b[(int)at..];
        int end = rest.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
    }
}
