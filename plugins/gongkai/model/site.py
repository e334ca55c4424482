"""The platform itself (`data/site.yml`): who runs it and what the footer must show."""

from __future__ import annotations

from .fields import Email, Entry, Identifier, IndexCode, Phone, Text, field, matching
from .kind import Kind, one_schema

SiteCode = matching("网站标识码", r"^\d{10}$", "3505020001")
IcpNumber = matching("ICP备案编号", r"^\S+ICP备\d+号(-\d+)?$", "闽ICP备05008123号-1")
PoliceNumber = matching("公安机关备案号", r"^\S+公网安备\s?\d+号$", "闽公网安备35050202000123号")


class SiteInfo(Entry):
    """网站基本信息：页面底部功能区必须列明的各项。"""

    host: Text = field("网站主办单位", "主办单位全称，显示在每页底部")
    host_unit: Identifier | None = field("主办单位编号", "主办单位在 data/units/ 中的编号", default=None)
    organizer: str | None = field("承办单位", default=None)
    address: Text = field("联系地址")
    phone: Phone = field("联系电话")
    email: Email | None = field("联系邮箱", default=None)
    postcode: str | None = field("邮政编码", default=None)
    site_code: SiteCode = field("网站标识码", "10 位数字，由全国政府网站信息报送系统分配")  # type: ignore[valid-type]  # a pattern made at run time
    icp: IcpNumber = field("ICP备案编号")  # type: ignore[valid-type]  # a pattern made at run time
    police_record: PoliceNumber = field("公安机关备案号")  # type: ignore[valid-type]  # a pattern made at run time
    police_record_code: str | None = field(
        "公安备案号数字", "公安机关备案号中的数字部分，用于链接到全国互联网安全管理服务平台", default=None
    )
    index_prefix: IndexCode | None = field(
        "索引号前缀", "自动生成索引号时使用的机构代码，例如 QZ06101；各单位可用自己的 index_code 覆盖", default=None
    )
    error_report_url: str | None = field("我为政府网站找错链接", "“我为政府网站找错”平台上本网站的地址", default=None)

KIND = Kind("info", "网站基本信息", "site", SiteInfo, one_schema("site", SiteInfo, "网站基本信息（data/site.yml）", "data/site.yml"),
            order=0, single=True, required=True)
