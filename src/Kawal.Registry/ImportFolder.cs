namespace Kawal.Registry;

/// <summary>Where uploaded import files are kept while they are imported, and where error reports are written.</summary>
public sealed record ImportFolder(string Path);
