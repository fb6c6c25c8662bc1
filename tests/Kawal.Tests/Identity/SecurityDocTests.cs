using Kawal.Identity;

namespace Kawal.Tests.Identity;

/// <summary>docs/security.md's role × permission table is the code's matrix, cell by cell.</summary>
public class SecurityDocTests
{
    [Fact]
    public void The_documented_matrix_is_the_enforced_one()
    {
        var doc = File.ReadAllLines(Path.Combine(Root(), "docs", "security.md"));
        var header = doc.First(l => l.StartsWith("| permission |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[2..^1];
        var rows = doc.SkipWhile(l => !l.StartsWith("| permission |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();

        Assert.Equal(Roles.All.Select(r => r.Name()), header);
        Assert.Equal(Permissions.All.Select(p => p.Name()), rows.Select(r => r.Split('|', StringSplitOptions.TrimEntries)[1]));
        foreach (var row in rows)
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            var permission = Permissions.Parse(cells[1]);
            for (var i = 0; i < header.Length; i++)
            {
                Assert.True(Permissions.Of(Roles.Parse(header[i])).Contains(permission) == (cells[i + 2] == "✓"), $"{header[i]} × {cells[1]}");
            }
        }
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kawal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }
}
