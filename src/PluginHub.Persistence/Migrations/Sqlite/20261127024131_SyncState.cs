using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PluginHub.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SyncState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
