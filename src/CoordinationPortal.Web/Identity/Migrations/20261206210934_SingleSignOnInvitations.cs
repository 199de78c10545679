using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoordinationPortal.Web.Identity.Migrations
{
    /// <inheritdoc />
    public partial class SingleSignOnInvitations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AwaitingApproval",
                schema: "identity",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "InvitedForSingleSignOn",
                schema: "identity",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AwaitingApproval",
                schema: "identity",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "InvitedForSingleSignOn",
                schema: "identity",
                table: "AspNetUsers");
        }
    }
}
