using Kawal.Cli;
using Kawal.Web;
using Microsoft.Extensions.Hosting;

namespace Kawal;

/// <summary>The <c>kawal</c> executable: every verb is a command of <see cref="KawalCli"/>; <c>serve</c> is the default.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static Task<int> Main(string[] args) => KawalCli.RunAsync(args);

    /// <summary>
    /// The web host, configured from <c>KAWAL_DATABASE</c> or <c>Kawal:Database</c> (Settings). Also the entry that
    /// WebApplicationFactory uses in the HTTP tests, so tests run the same composition as <c>kawal serve</c>.
    /// </summary>
    public static IHostBuilder CreateHostBuilder(string[] args) => KawalWeb.CreateHostBuilder(new Dictionary<string, string?>());
}
