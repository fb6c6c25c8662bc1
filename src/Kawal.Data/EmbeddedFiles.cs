using System.Reflection;

namespace Kawal.Data;

/// <summary>Files a module ships inside its assembly (reference data, catalogues), read by their logical name.</summary>
public static class EmbeddedFiles
{
    public static byte[] Read(Assembly assembly, string logicalName)
    {
        using var stream = assembly.GetManifestResourceStream(logicalName)
            ?? throw new KawalException($"{logicalName} is missing from this build");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
