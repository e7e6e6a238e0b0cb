from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "plan_change" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "stripe_price_id" VARCHAR(255),
    "stripe_invoice_id" VARCHAR(255),
    "request_digest" VARCHAR(64) NOT NULL,
    "idempotency_key" VARCHAR(255),
    "subscription_id" UUID NOT NULL REFERENCES "subscription" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_change_user_id_7e2cfc" UNIQUE ("user_id", "idempotency_key")
);
COMMENT ON TABLE "plan_change" IS 'What a changePlan did, so that the same client key returns it again';
        ALTER TABLE "subscription" ADD "scheduled_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "stripe_schedule_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "quoted_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "quoted_proration_date" TIMESTAMPTZ;
        ALTER TABLE "subscription" ADD "scheduled_at" TIMESTAMPTZ;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "subscription" DROP COLUMN "scheduled_price_id";
        ALTER TABLE "subscription" DROP COLUMN "stripe_schedule_id";
        ALTER TABLE "subscription" DROP COLUMN "quoted_price_id";
        ALTER TABLE "subscription" DROP COLUMN "quoted_proration_date";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_at";
        DROP TABLE IF EXISTS "plan_change";"""


MODELS_STATE = (
    "eJztXe1z4jjS/1dUfNmkLkvNZDIvl727KiZhZrnLQB6SzO7dsgXCFsEVIzG2nAx1N//70y"
    "3b4FdiEyCG6MtMkNWy3K2X7l+3Wv+tTYTJbLd+aVNeOyX/rXE6YfBHrPyI1Oh0uijFAkmH"
    "tqo4DWsMXelQQ0LZiNougyKTuYZjTaUlsO1ag7jMtpGOIFGdDAZ3bDYYEMslcsyIq9okBp"
    "XUFrfEMsnByGHQ0NRhE8ubHJF6vX74C77MFAa8zeK3a2y3xwcDbHTK+vfMcaHT0AR+0p1L"
    "LOmSK/WMXDrC9AxZx2543Prmsb4Utwxe5EBn/vgTii1usu/MDX9O7/oji9lmjL/QQ2xBPe"
    "jL2VQVno2p80lVxW8c9g1hexMeqT6dybHg8/rQXSy9ZZw5VDIzwnvu+SyJFPm9hQLpeGze"
    "TXNRYLIR9WyUIFL7XViU1fr9due6f9W87vdrKemGFBHBBEWG4DgyLC5dxYEJ/d63Gb+VY/"
    "j57uSH/54FI/xa+MKvje7Zr43uwbuTQ3yhAFn4Y64dPDlWj36oJkC6fiOK7wtGGw5D1vSp"
    "TPP7HJ5Ia8KyeR6nTLDeDEjr4R+rCCIsWEhiMXW2IQr4QLPD7VkwBJaI4rr1pXl13fhyia"
    "+buO43W/Gvcd3EJ8eqdJYoPXiXENu8EfJb6/pXgj/JfzrtpmKvcOWto964qHf9nxr2iXpS"
    "9Ll46FMzMlrD0pBrUHMhdW9qrij1OKWWelWkHvIoIvag9wupx5fvtOQ/WrctLrPlnqZNyB"
    "74V0DaweCsjLBvsRM///X4+M2b98ev3rz78Pbk/fu3H159gLqqw+lH75eMiI+tz632dVzA"
    "WPAjJgf1f4ndLay/nu3tuVke2+COX70qsMNBrdwtTj2L8zfasxSbr9n3nCGeIFuJ2xUb38"
    "sWr+bv17F1K2TpwZfG74exteui0/4cVo+I4Oyi8zHBeViwrGy25y4sUZKVlpSVBvirzS4o"
    "x69P3p98ePPuZL6OzEuWLR/ppQLeRu2+SWduCZbGiTRTk0w1PMdh3ChlYURptrcO1zw37M"
    "qGF+I3BZbhN7mL8JvkEmxbEzAK0wz+51Wnnc3gBUVSqbQMSf5HbMvd2MCt/W3kcQMZSIae"
    "ZUuLu3V83z82xfslzEYOLV+Xk0twQlHEBpLr8ghMNQ+flxBIlEaLZO0iofBx9xlq4EchbE"
    "Z5tkwWRAmJDIFqU6II4Y/tMv1jp3MRY/rHVlIBufnysdk9eK0kAJUsmaNvI5xVktEhyRbZ"
    "PC/ZWT4HNuLUhwD7lllmg80kXosOXiE87/jt2yLmztu3+eYOPvvxA4HT0V0E0cOCITXuHq"
    "hj9mNPItq5YxlZe8DHgO7Tv7rMpjnKeATxvsR2dtD0/BGOubC0lgGSGGNm3AlP9l3mItTx"
    "RH6dBc1d+a3tK9dcbzhv/Ikcu4o0tU/swhkqjkXenE0/mhxPkiWU01v1SfhufFNqVuY4qe"
    "ZTdrmnqj+d13vUX9XhbOH0ASoiRoQqF9NPLgmW8SPyMAbR3TNH+YjuQCanUMmk7ngo4KuJ"
    "5zIn5bFaW8s9PqEzQk2TPDB2Z8+IcIjg7GeEpom/GmI7ljEm1GFkYjmOcJgJGqckXLXtCt"
    "skBy5j6P6CsepSmw0Gh3XS4r4uRhzx4KIPbQZ1iYQ+EfYd9FT4FBJMiiFzXHgtoZxAaz2u"
    "Xgwklm0TUBCFDa1IpGWW47voijnP/vBF5u+UMNCYc0+VdhJoiX/meteyduabm9Z59s6cuR"
    "V7nmXWkWYzHraI+q/ehP+cPIfu7xu+PmgfVenVp2vX2stysmjX2kuUunat7Y5rTbEsxf18"
    "qzOsv0VI12GIJSPrNsX5mMn5+l0Bi/N1cuosDE58FOdxVNUoyucozR66MT8U4PGHXBZ/yO"
    "MwMNDjGftI7lKSJtzaUvJ6s+vI2pw/dFKSpwuC7XnSNr8uv0Bn2tZWgzX70rSnYPsINljo"
    "q+LXC9K9C0ddG3wdcxULcedN+yUjfuNU+xCrs4XAqAheVJTPEZI9XKnXE1+dcsbEOZ5m9y"
    "fhMOuW/4vNFNNb0EPKjazVOnHOYMeYnYeFQ7FDH+bAZHSQwbfDFzN/ge6CWd5tncEqne/e"
    "2iSsnnTeZIDrGf6dfIg96VsqBrQ3SNS7QsJGSNBIPYWfP0bQ4wrNnjLed20hBwMyFsAOdR"
    "oEYXM8AwJ0+FNwFpJFHrvE1+CkPevxMYXBZZID5B2SIW4+IwJBawTHD08VQO8PSaIGIjaA"
    "6D2Z0Dvmkl6Nyh6fCFeq12G/cj5gCk0qXL+megyNQFX5IAhw2CXARXbU4w8WzCCoTIktjD"
    "syBkkTajjCdaEocCsY1LbrpIH98zF7G9+O/USGoEvAZj3uQ/SqPxYPSaHv7PvUQjcBfiIj"
    "w5niDGff5aKnYjRnVx6a/0cNn4bwvckmUyFRKVZ72p8prD9SGVYL6bka39f4flUX/h1Fej"
    "W+/xKlrvH93cH3I7tgUQsmQrKHFsxGTPJgxAaK32pASJxYQyEl+F4p+Gn/R7v2Z23anxUY"
    "LJn8bXJvkkJBEkM7pN6ilxatvpLmSK1z2WyfKnuxx886Xy4vmtfNU2KIyRQBjR5v/n7Z6j"
    "bPT0MDMmm4P48713NKjfyg+j4iridFhj1WW4K5nqQGvy9sdwWDIU65hwbD7hoIabswVHsi"
    "wNWKilO6hT2cbJvYyB0GX+rKvmndMjdjtuWzPk25h5v6upLJRHHGOGpZRoFKk+pRXmiUz3"
    "H7MuyOEelTVQXYrH2l2leqfaUlfKWeK8VEubbSTtLw2dFS72i01qNe0eZ3eIxHejib+wVP"
    "faeb72ocDALkbzAgLpPSZugARCchGTL5wBgnNOU6XUurPY51fnLJyHJcqRyUgYLhkoOhkG"
    "P4SY1x6FFEh6WfiQ+4RiIbY4/DzniE54pCt6XyG7mqdyG3iBTi8Knp9rTDUDsMtetIOwy1"
    "1NflMKyCo2rfVfQAMAl3wtXglgS15nwRzrMJtUqhxnOC/TPy3xwXidSFWvkR/8evSub02K"
    "Qif+5NbcsAYcQSMWRo9dkVl6r4ZkgSQzmLKfyYFSAeFoh2oM1MQrkJGjXohxiHOGQGhZV0"
    "Ea1IbdxlZmRMsWZK419Psz0ubBNKbUwJAOp5nXSZIRyfcgQmbCR8EIMPmRmzKuZ8AfUfkx"
    "ZgWKQfR2lDoYN/c0noEEMLLQl2BcfoQ2gLAxgtGJzQFZUlwVCJB+gtjNXCWQQi+05Ez9TR"
    "hdpY0GqjNha01F+GsfDc0t280nrHprL/dDftI81oaRSTRkQVfLJIirSlDbtiJvXORWpNGT"
    "fLZ9OoXTbb563251MS0Pd4t3nVufiK8VlBVi5QxT81WhdYMgLztSoBW2GoJ51NwCroYygi"
    "XzXbZlYb+2eibxJ98i3E1dgfo9VsLxjk41vk/dKJPDIodW78SqTzqPQoXnM2D4Y5JtPczb"
    "+WZE6wD6xdZrRt4kKScCdfwaBOkK7Bot4hWVTbgPZxk4rg5Ze+DlXLyrwbPDpamnc3Uukx"
    "EDxftms9YB6FgY9I1tnzI40Va6x4J5CM3UQNNVb8EqVeBCvWJ9H1SfSqMH57J6IrhXW9OF"
    "RY50zdA5ClckzdaM5UNQD7IeRXeujGKDVKmM6TumtuovIDudZt/t9Nq9u86l82/v2l2b7u"
    "f2le/9pR7qFvnjqYHW4pE7C5hYkepIDirNP+1Op+aVy3Ou1IfZDKyHIm6gKkSO3GWaIeNf"
    "wal93OWfPqyndTOcLAlCroqbq6OTtrNs/RMeV6hsGYmfZV9fhZo33WVCVhSBu02OhetxoX"
    "F//ud5ufbtqqiSl1pEVtezYf9Ni38Gl0IpQPjSwUGbkkMLLU1c5LHMT7d7VznNNvC6WLfb"
    "skXezbdLpYHEiew2B4uy69zchAnQ9aZ5DuA9O3DV+bljv1ZNb+tTT5d5RM32BZPv+3xe/F"
    "yimY4sT6rHWRDEw6j8ALzJZRaZZv6LR7vosqGeHwxFs0u6qR6mjTZRf67d6fGXArw4W34G"
    "O+B89Z1FmrAy/loptDWPqwhnbA7ch83lFXjHbAvUSpawfc7jjgKhF/q11B2hWkXUGVdgXB"
    "TuSWQ4sXFPtn164fkl/mC8pbfXfB/1MZBmt07DnSP8ZM7aL2c5xqnXZ0NVCZFczmFASW4n"
    "GaweVzPi5a2k3GPp72MTayKpX5ERNuwhLElWaUjoFfPD1aGgaPeS2NRcVH88H8hve2UeKT"
    "4FuIaZkqW6K60W2eUNGwLUyeAssfcZj0HO5iChWVIqWWENE62uzxA6qyswRVsY7K8Eh5cC"
    "eej55jJhh4k+Aj2zJkbgbHUkH8GgXUKGA1l7kdxYM0CvgSpV4EBdTh31tJ2WLxcrlZgvp7"
    "yN/N5ZF4xtvGXp5dWdEIo/1n/LOHu1R7edGXw+zFKH80iVa+1fd4ziwNYCUMvmQS2yeiWM"
    "k8urvJ4kehrIyBFsOzzhpXZ43z5nPBWY+lPS6e7bh0juOnRYeVSuCgI8Y0VlTRdWRHUQON"
    "Fb1EqeuIsd2JGNOY3RYRjupchPviYvTcyt6L82JG/3OCqi+S6y8gH8F1t9W4ULkAgN/UVp"
    "kAMHXA1+apuvjlnuH5/qvr/vlNE0/1I2TpQdlN+7LROj8lHp9SKycvQKt91vlyedG8BkqL"
    "G2IyRWs8Wt5v/n7Z6iLV4nnfv6Fe5RW4ufJzCcCOWZFcAX6YrOxPmWMJsw9SdsobWzlt7K"
    "ECvrsKd9rOSoiNZXkRSwmeZfoVtdgrJna1noGNvFTwS1Mn5DWh0yiUSKMQ7iuroFtxUp11"
    "ucrzjfnp9EsLOUqnJVxlCStNc5X9M0aoZVxlGYdwizFmpmevaLUmqLW7vpjdGnDNXA0wyK"
    "TWrC/J+vL7V5JWr29VXt++eUKuOMMySPX0KjS95pyD+grAx7lQdp7lNqInXJUnnDrKVW6i"
    "RUiqjME+a3DlspOUNl1HANpl0MyOMbvwGcrFICt9gDIxuv0Tgk/M0RY/GrknTN9onrYbTC"
    "Z7hglFVAxcKjYv9vxoWWyehzWh94uqRQ+cYkgA/mMSMYKfI0al5zBicSI4I0PLRs8M8dHD"
    "etITslIjPd7DSQyVhzN1sNQv/8klyh+hzqdSwtlD8MA/Woq/HfFADpCC2rZ4wMnf44oGKk"
    "jy6pDgUVVKHAaDGtt3YAw+UJvAwDRd6MriGCu0BNIQcoz9stweZ/fqLKvLJPYa6A1WJ4MB"
    "ftNgAKT2LDhG60IjjvBux6oxGC+mhRyldo8PBjeXuGORer1OYED6HPm7/99fyDfy26/Nbn"
    "Px829/J7Y1seRgUOi4bMBVNQGj/ht9bLZSoZA6LGcbCnlkMhTlcnT+7B+X13/i5SmOZu1g"
    "3ikTJ4xyKB7IGVLszWUiWwjeTFk8z3MiRGmVXWYIJzNFcPRxAZ3TWdR8VOXscNSYUEc1Qb"
    "fCynfqbaBhGaDSkQPMYIjaEf5yic3oPQMtjbPDtOb5hLZQAQXrkTlIa0W0QmiFu/5tJYS6"
    "gYKnVGpQTv2Q9V9UqT9we/wAd+4jEjnghwlSDsmE3jHX10TV6QaVNkU1BaqkAZwBdZOThz"
    "FTL+9xv55LHKV2+swHegfzrUx9jRha8EtgugnYxrDnMBcsbklmz9aSb6W4tqnVS61eVkXx"
    "0erlbqqX3zzKpSUzTlLnKh1REp1+NSNSSavsL0Zl1/kInmFb0Mdc87m/mwce8465VsRW+4"
    "0Nx0LcNe+Z8kikjLXY86XW2oNfs8/mVQuZa1cqHkrZK7JOrue2D9hcQaiUegTqJRhelgs2"
    "DZWB+QNdsO6ZM8s03dbQbo+z79B/e/Yz2lSnYG6Z3tS2DJgzxBYu8w04Sxl6yjOAI9QvdK"
    "VAC0p40hAw7XKMp5R5tDhZE0xnbQ09szWUGCtldsEMUn0es8gmqNhTgtFh/U1ZRc/H3teF"
    "ril9veSa0tfpa0rp1Mo/W5/P5QTZ/il067dAw0U8xeVlwHeEaFMm6FYH9LOkLsANHHWUDN"
    "YvO80UJdMnmEqcYJrSmS1oxkj/51WnnQMHLEiS1oplSPI/YlvuLkIuSxiOzIgxPHXncfJ6"
    "44TCgg0k7zzevbPcYMkZDGZaOCYKn+juNs+ara/+Let+C/M739Vhav/Kd3U++3O74x++vu"
    "XCSd/2njQZCm3Ga88oS6Vkk6nMEF7+9VARkr1xja4NnrTxED9zHOGkWZp/+Xqcah8Um2XY"
    "yCbuXQ+n4wq4VYJUA1dVB65i23644q4g+CStPqNQNW9ARSDKjieH4nsuQhl9fLQMoBSqYl"
    "l80hQTEGiIIw4G0WHrI4cuk0dB1EUQb+wwm878K3DGFM9uZyKUa2m5xy1JpMBWnBkxPQe/"
    "lgSpwIbMIQdcSGuEoCV8lAtVTTr7hYCRaVoY1YzxzB782eM2zCvn8JFwFcshDw5YAW5hSD"
    "M5zYWhUoXoa7grAG5WDWjbK/DnGeJoKrb/bQEqjq4mJfWPBOkeKp67rn9ogKkSAJNW8vd5"
    "klVEyW9HtNTz0K+foe1n1luq9kf13340ZOBx/b8RaOdkJBxQlQnj5lRYgbbury6gqI+FHX"
    "j9VbgAGQpzBvo6KMlHZGTBkCT+2I8ZAOtrusdHlP8Mxo2K4vbtAIdJ+NcPSXChaYL/uAvF"
    "XjVRJw1VDkaCYVNr4va4MjHEA1obYHtIPLs4GNjCuIMJ7HFp2dCnA4qx7q6KhzAc6o6ZGT"
    "Tzk+s3hHETmOfS9c9L+u+mI4kvEpOJ5Tesgt+xen5oedR1HjIoI6h8gWHDi2U/gEjnlznE"
    "I6MsHVPx3GZHfjBFPq+XRFG8zGt2YnnlFHPKWnNxKm3TFTmxmKeF5jsX8rXQ3WTxtl0LO+"
    "jevGy2z1vtz2W9mwHZKQn+6PHz5kXra1P5Med/LjyZ/v/ak7m/nkxY8afwGtbPmwS5zM0j"
    "36PLUNbG6qTSmOLychM3g1xbuVWzcmNTK2LPlBV2klZLusqSVmZwf+SISVk5xyk1NlxpMe"
    "tDU/l75f7GnoSAUFkgIU6msYTlmRLnsFuKxaWzJUah22ak2d1k86PZExMDrUpX9mZK4hGw"
    "PSqxgmB7dOxs9C5fjec+b8YQJ0OPXhLl4GSpzruJhiVCHF6dfCgS4wDV8oMc1MMMfDfD/M"
    "/3fS8otu/6jgzpoWfZ0uJuHd/3HKN6MycuGOiNGTvikqOgc4o9HPWvj4sMeqiVjycep4c8"
    "x28vextVhGqLx7fCRX1nT29pAyp/qO+XAVUi2mMxPIKgCeup+bvzYjd2bEjkGQAbzeTdAP"
    "4b41qGkh48WaqW00Wdyujhub6LTDU8w1YMxvjT9O/K+yny1e4VzvA/9fx+1abiFiKMcVKV"
    "4HBQfQ+5u5FcFPBGybLQpXzTJkKiw3pLWjHPGuz54/8BhrF8hA=="
)
